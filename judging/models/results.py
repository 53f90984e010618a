"""Frozen rankings (results), special awards and certificates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import ScaledDecimal, UTCDateTime, utcnow


class Result(db.Model):
    """One entry's line in a category's frozen ranking: the numbers exports and certificates use."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("category_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    rank: Mapped[int]
    total: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    components: Mapped[dict] = mapped_column(JSON, default=dict)  # key -> "12.34"
    band: Mapped[str | None] = mapped_column(String(60))
    award: Mapped[str | None] = mapped_column(String(120))
    advanced: Mapped[bool] = mapped_column(default=True)
    jurors_counted: Mapped[int] = mapped_column(default=0)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry = relationship("Entry")
    category = relationship("Category")


class SpecialAward(db.Model):
    """An award outside the ranking (e.g. "Apresiasi Inovasi") given to a named entry."""

    __tablename__ = "special_awards"
    __table_args__ = (UniqueConstraint("entry_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry = relationship("Entry")


class Certificate(db.Model):
    """An issued certificate: serial unique in the organising body, unguessable code."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("organisation_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("results.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # "winner" | "participation"
    award: Mapped[str] = mapped_column(String(120))
    band: Mapped[str | None] = mapped_column(String(60))
    serial: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    storage_key: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    # Everything printed, as issued: verification shows this, never today's live data.
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    entry = relationship("Entry")
    competition = relationship("Competition")
