"""Jury work: assignments, conflict declarations, marks and each juror's score sheet."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import ScaledDecimal, UTCDateTime, utcnow

SHEET_STATUSES = ("draft", "submitted")


class Assignment(db.Model):
    """A juror judges a category, or only one entry of it when ``entry_id`` is set.

    ``verifier`` marks a KIP verifikator: the juror checks the category's SAQ answers.
    """

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("juror_id", "category_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), index=True
    )
    verifier: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    juror = relationship("User")
    category = relationship("Category")
    entry = relationship("Entry")


class ConflictDeclaration(db.Model):
    """A juror's declared conflict of interest: removes them from that entry."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("juror_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the organizer recorded the conflict for the juror.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Jurors the entry had when an assigned juror declared: below it, a replacement is owed.
    jurors_before: Mapped[int | None] = mapped_column()

    juror = relationship("User", foreign_keys=[juror_id])
    entry = relationship("Entry")


class Mark(db.Model):
    """Juror × entry × criterion; ``version`` refuses stale writes (optimistic locking)."""

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("juror_id", "entry_id", "criterion_id"),
        # by entry, with the version: a live ranking's key sums a category's versions from
        # the index alone (results.inputs.category_fingerprint)
        Index("ix_marks_entry_id_version", "entry_id", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique key above begins with it (a save writes one less)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    # indexed: a kept live ranking reads only the marks written since (results.inputs)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow,
                                                 index=True)

    __mapper_args__ = {"version_id_col": version}

    criterion = relationship("Criterion")


class Scoresheet(db.Model):
    """A juror's sheet for one entry: draft or submitted, overall comment, revisit requests."""

    __tablename__ = "scoresheets"
    __table_args__ = (UniqueConstraint("juror_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique key above begins with it
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revisit_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revisit_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    juror = relationship("User")
    entry = relationship("Entry")


class ModerationNote(db.Model):
    """An organizer's note on a category or one of its entries during moderation."""

    __tablename__ = "moderation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")
