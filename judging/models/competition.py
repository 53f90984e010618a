"""Competitions, their categories and each category's rubric criteria."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import ScaledDecimal, UTCDateTime, utcnow

PHASES = ("draft", "open", "judging", "moderation", "final", "published")
LEVELS = ("desa", "kelurahan", "kecamatan", "opd", "kabupaten_kota", "badan_publik")
AGGREGATIONS = ("mean", "median", "trimmed")
DEFAULT_AWARD_LABELS = ["Peringkat Pertama", "Peringkat Kedua", "Peringkat Ketiga"]


class Competition(db.Model):
    """One year's award: its phase, deadlines (UTC) and certificate design."""

    __tablename__ = "competitions"
    __table_args__ = (UniqueConstraint("organisation_id", "name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    code: Mapped[str] = mapped_column(String(30))  # serial prefix, e.g. "IKP-2023"
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    phase: Mapped[str] = mapped_column(String(20), default="draft")
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grace_minutes: Mapped[int] = mapped_column(default=0)
    judging_starts: Mapped[datetime | None] = mapped_column(UTCDateTime)
    judging_ends: Mapped[datetime | None] = mapped_column(UTCDateTime)
    award_labels: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_AWARD_LABELS))
    certificate_design: Mapped[dict] = mapped_column(JSON, default=dict)
    logo_key: Mapped[str | None] = mapped_column(String(64))
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("competitions.id", ondelete="SET NULL")
    )  # the year before, when made by "copy to a new year"
    show_rank_rise: Mapped[bool] = mapped_column(default=False)  # "naik peringkat" in public
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    categories: Mapped[list[Category]] = relationship(
        back_populates="competition", order_by="Category.position", cascade="all, delete-orphan"
    )

    def deadline_with_grace(self) -> datetime | None:
        """The last moment a submission is accepted."""
        if self.submission_deadline is None:
            return None
        return self.submission_deadline + timedelta(minutes=self.grace_minutes or 0)

    def submissions_open(self, now: datetime | None = None) -> bool:
        """True while participants may still change and submit entries."""
        limit = self.deadline_with_grace()
        now = now or utcnow()
        return self.phase == "open" and (limit is None or now <= limit)


class Category(db.Model):
    """A peer group scored by one method; ranks never mix categories."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("competition_id", "name"),
        UniqueConstraint("competition_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20))  # serial part, e.g. "MS"
    method_key: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(30))
    places: Mapped[int] = mapped_column(default=3)
    aggregation: Mapped[str] = mapped_column(String(10), default="mean")
    normalise: Mapped[bool] = mapped_column(default=False)
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    thresholds: Mapped[dict] = mapped_column(JSON, default=dict)
    blind: Mapped[bool] = mapped_column(default=False)
    # jurors' comments (anonymised) shown to participants with their published result
    share_comments: Mapped[bool] = mapped_column(default=False)
    required_marks: Mapped[int] = mapped_column(default=1)
    disagreement_threshold: Mapped[Decimal] = mapped_column(
        ScaledDecimal(2), default=Decimal("20")
    )
    evidence_rules: Mapped[dict] = mapped_column(JSON, default=dict)
    # headers the organizer mapped on a monev import: {header key: indicator key or ""}
    monev_mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    competition: Mapped[Competition] = relationship(back_populates="categories")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="category", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(db.Model):
    """One rubric line of a category; editable until judging starts."""

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("category_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    max_mark: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=Decimal("100"))
    position: Mapped[int] = mapped_column(default=0)

    category: Mapped[Category] = relationship(back_populates="criteria")
