"""Entrants (organisations that take part), their entries and the evidence they upload."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import UTCDateTime, utcnow

ENTRY_STATUSES = ("draft", "submitted", "withdrawn")


class Entrant(db.Model):
    """A kelurahan, desa, kecamatan, OPD or badan publik, kept across years."""

    __tablename__ = "entrants"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")


class Entry(db.Model):
    """An entrant taking part in one category."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("category_id", "entrant_id"),
        UniqueConstraint("category_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    entrant_id: Mapped[int] = mapped_column(ForeignKey("entrants.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))  # shown to jurors in blind categories
    status: Mapped[str] = mapped_column(String(20), default="draft")
    description: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # category-specific answers
    social_links: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Entered by the organizer (nomination): submitted from the start, evidence optional.
    nominated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category = relationship("Category")
    entrant: Mapped[Entrant] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="entry", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class Evidence(db.Model):
    """An uploaded file (stored by content hash) or a link, attached to an entry."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "file" | "link"
    storage_key: Mapped[str | None] = mapped_column(String(64))
    original_name: Mapped[str | None] = mapped_column(String(255))
    mime: Mapped[str | None] = mapped_column(String(100))
    file_kind: Mapped[str | None] = mapped_column(String(20))
    size: Mapped[int | None] = mapped_column(BigInteger)
    url: Mapped[str | None] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(200), default="")
    requirement: Mapped[str | None] = mapped_column(String(60))  # indicator/criterion key
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="evidence")
