"""Monev data: indicator values per entry and the import batches they came from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import ScaledDecimal, UTCDateTime, utcnow

BATCH_STATES = ("previewed", "committed", "discarded", "rolled_back")


class ImportBatch(db.Model):
    """One uploaded workbook: who, when, what was read and rejected, and its state."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    file_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_valid: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="previewed")
    skip_invalid: Mapped[bool] = mapped_column(default=False)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rolled_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category = relationship("Category")
    uploaded_by = relationship("User")


class IndicatorValue(db.Model):
    """The current value of one monev indicator for one entry."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("entry_id", "indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique (entry_id, indicator_key) index serves lookups by entry
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(60))
    value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IndicatorChange(db.Model):
    """What a committed batch replaced, so rolling it back restores the old values."""

    __tablename__ = "indicator_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(60))
    had_value: Mapped[bool] = mapped_column(default=False)
    old_value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    new_value: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))


class ImportBatchPage(db.Model):
    """One page of a previewed batch's rows with the values they replace, computed once.

    The preview page shows one page at a time and the commit reads them in order, so a
    100,000-row batch is never loaded, parsed or recomputed whole for a view.
    """

    __tablename__ = "import_batch_pages"
    __table_args__ = (UniqueConstraint("batch_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column()
    rows: Mapped[list] = mapped_column(JSON, default=list)
