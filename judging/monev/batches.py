"""Import batches: preview a workbook into a batch, then commit, discard or roll it back.

Services stage their writes in the session and never commit: the caller commits on
success and rolls back on :class:`ImportRefused`, so a refused action changes nothing.
A commit claims its batch with a conditional UPDATE (``previewed`` → ``committed``)
before writing values, so a double submit or a second worker imports nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.orm import aliased

from judging import audit
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.monev.reader import MonevPreview, preview_monev
from judging.io.xlsx.safety import WorkbookRefused
from judging.models import (
    Category,
    Entrant,
    Entry,
    ImportBatch,
    IndicatorChange,
    IndicatorValue,
)
from judging.models.types import utcnow
from judging.monev.refusals import ImportRefused, check_phase, not_previewed, wrong_category
from judging.plugin_setup import methods

QUANTUM = Decimal("0.0001")


class Change(NamedTuple):
    """One value a batch sets: ``old`` is None when the entry had no value yet."""

    entry_id: int
    code: str
    name: str
    key: str
    old: Decimal | None
    new: Decimal | None
    had_value: bool


class EntryRef(NamedTuple):
    """An entry as imports need it: plain values, cheap for tens of thousands of rows."""

    id: int
    code: str  # the entrant's code, as workbooks name it
    name: str


def category_entries(category: Category) -> dict[str, EntryRef]:
    """Entries that may receive monev values, by their entrant's code (withdrawn left out)."""
    query = (
        select(Entry.id, Entrant.code, Entrant.name).join(Entry.entrant)
        .where(Entry.category_id == category.id, Entry.status != "withdrawn")
        .order_by(Entrant.code)
    )
    return {code: EntryRef(entry_id, code, name)
            for entry_id, code, name in db.session.execute(query)}


def read_workbook(category: Category, data: bytes, *, progress: Callable | None = None
                  ) -> MonevPreview:
    """Judge a workbook against the category's method and enrolled entrants; stores nothing."""
    method = methods().get(category.method_key)
    entries = category_entries(category)
    try:
        return preview_monev(
            data, indicators=method.indicators,
            entrants=[(code, entry.name) for code, entry in entries.items()],
            validate_row=method.validate_row, max_rows=current_app.config["IMPORT_MAX_ROWS"],
            progress=progress,
        )
    except WorkbookRefused as refusal:
        raise ImportRefused.from_workbook(refusal) from refusal


def build_batch(category: Category, data: bytes, *, filename: str, user_id: int | None,
                progress: Callable | None = None) -> ImportBatch:
    """Preview ``data`` and stage a ``previewed`` batch keeping the file and what was read.

    Refused workbooks raise :class:`ImportRefused` before anything is staged or stored.
    """
    check_phase(category.competition)
    preview = read_workbook(category, data, progress=progress)
    key = evidence_store().put(BytesIO(data))
    rejected_rows = preview.rejected_rows
    batch = ImportBatch(
        category_id=category.id, file_sha256=hashlib.sha256(data).hexdigest(),
        filename=(filename or "monev.xlsx")[:255], storage_key=key, uploaded_by_id=user_id,
        rows_read=preview.rows_read, rows_valid=len(preview.rows),
        rows_rejected=len(rejected_rows), state="previewed",
        errors=[{"row": p.row_number, "column": p.column, "message_id": p.message_id,
                 "message_en": p.message_en} for p in preview.rejected],
        summary=summary_of(preview),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def summary_of(preview: MonevPreview) -> dict:
    """What a batch keeps of its preview: the valid rows (exact decimals as text) and gaps."""
    return {
        "kind": preview.kind, "sheet": preview.sheet, "header_row": preview.header_row,
        "columns": dict(preview.columns),
        "rows": [[row.row_number, row.entrant_code,
                  {key: None if value is None else str(to_decimal(value))
                   for key, value in row.values.items()}] for row in preview.rows],
        "missing": list(preview.missing_entrants),
        "extra_columns": list(preview.extra_columns),
        "suggestions": [list(s) for s in preview.suggestions],
        "skipped_rows": list(preview.skipped_rows),
    }


def to_decimal(value: float) -> Decimal:
    """A read number as the exact decimal stored (four places, as IndicatorValue keeps)."""
    return Decimal(repr(value)).quantize(QUANTUM, rounding=ROUND_HALF_UP)


class StoredValue(NamedTuple):
    """A stored indicator value: its row id and the exact decimal (None = left empty)."""

    id: int
    value: Decimal | None


def current_values(category_id: int) -> dict[tuple[int, str], StoredValue]:
    """The stored indicator values of a category's entries, by (entry id, indicator key)."""
    query = (
        select(IndicatorValue.entry_id, IndicatorValue.indicator_key, IndicatorValue.id,
               IndicatorValue.value)
        .join(Entry, Entry.id == IndicatorValue.entry_id).where(Entry.category_id == category_id)
    )
    return {(entry_id, key): StoredValue(value_id, value)
            for entry_id, key, value_id, value in db.session.execute(query)}


_SET_VALUE = (
    update(IndicatorValue.__table__).where(IndicatorValue.__table__.c.id == bindparam("row_id"))
    .values(value=bindparam("new_value"), batch_id=bindparam("new_batch"),
            updated_at=bindparam("now"))
)


def set_values(rows: list[dict]) -> None:
    """Many ``{"row_id", "new_value", "new_batch", "now"}`` updates in one executemany."""
    if rows:
        db.session.execute(_SET_VALUE, rows)


def pending_changes(batch: ImportBatch) -> list[Change]:
    """What committing the batch now would change (blank cells leave a value as it is)."""
    entries = category_entries(batch.category)
    current = current_values(batch.category_id)
    changes = []
    for _row, code, values in batch.summary.get("rows", []):
        entry = entries.get(code)
        if entry is None:
            continue
        for key, text in values.items():
            if text is None:
                continue
            new = Decimal(text)
            old = current.get((entry.id, key))
            if old is None or old.value != new:
                changes.append(Change(entry.id, code, entry.name, key,
                                      None if old is None else old.value, new, old is not None))
    return changes


def load_batch(batch_id: int, category_id: int) -> ImportBatch:
    """The batch, if it belongs to this category; anything else is refused."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.category_id != category_id:
        raise wrong_category()
    return batch


def claim(batch: ImportBatch, from_state: str, **values) -> None:
    """Move the batch out of ``from_state`` atomically, or refuse when someone else did."""
    result = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.state == from_state)
        .values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(batch)
        raise not_previewed(batch.state) if from_state == "previewed" else ImportRefused(
            f"Batch ini berstatus '{batch.state}', bukan '{from_state}'; muat ulang halaman.",
            f"This batch is '{batch.state}', not '{from_state}'; reload the page.",
        )
    db.session.refresh(batch)


def commit_batch(batch_id: int, *, category_id: int, skip_invalid: bool,
                 actor_id: int | None) -> ImportBatch:
    """Store every valid row of a previewed batch in the caller's one transaction.

    Refused when rows were rejected unless ``skip_invalid`` is chosen explicitly, when the
    batch is no longer ``previewed`` (double submit) and when an entrant left the category.
    """
    batch = load_batch(batch_id, category_id)
    check_commit(batch, skip_invalid)
    claim(batch, "previewed", state="committed", committed_at=utcnow(),
          skip_invalid=bool(skip_invalid and batch.rows_rejected))
    changes = pending_changes(batch)
    write_changes(batch, changes)
    audit.record("monev.commit", object_type="import_batch", object_id=batch.id,
                 competition_id=batch.category.competition_id, actor_id=actor_id,
                 after={"category_id": batch.category_id, "values": len(changes),
                        "rows_valid": batch.rows_valid, "rows_rejected": batch.rows_rejected,
                        "skip_invalid": batch.skip_invalid, "file_sha256": batch.file_sha256})
    return batch


def check_commit(batch: ImportBatch, skip_invalid: bool) -> None:
    """Refuse a commit that cannot be done now; the claim inside the commit still decides."""
    check_phase(batch.category.competition)
    if batch.state != "previewed":
        raise not_previewed(batch.state)
    if batch.rows_rejected and not skip_invalid:
        raise ImportRefused(
            f"{batch.rows_rejected} baris ditolak. Perbaiki berkasnya dan unggah ulang, atau "
            "centang 'lewati baris yang ditolak' untuk menyimpan baris yang valid saja.",
            f"{batch.rows_rejected} rows were rejected. Fix the file and upload it again, or "
            "tick 'skip rejected rows' to store only the valid rows.",
        )
    entries = category_entries(batch.category)
    gone = sorted({code for _r, code, _v in batch.summary.get("rows", []) if code not in entries})
    if gone:
        raise ImportRefused(
            f"Peserta {', '.join(gone)} tidak lagi terdaftar di kategori ini; unggah ulang.",
            f"Entrants {', '.join(gone)} are no longer enrolled in this category; upload again.",
        )


def write_changes(batch: ImportBatch, changes: list[Change]) -> None:
    """Bulk-write values and the changes that allow a rollback (fast for large batches)."""
    now = utcnow()
    current = current_values(batch.category_id)
    updates = [{"row_id": current[(c.entry_id, c.key)].id, "new_value": c.new,
                "new_batch": batch.id, "now": now} for c in changes if c.had_value]
    inserts = [{"entry_id": c.entry_id, "indicator_key": c.key, "value": c.new,
                "batch_id": batch.id, "updated_at": now} for c in changes if not c.had_value]
    log = [{"batch_id": batch.id, "entry_id": c.entry_id, "indicator_key": c.key,
            "had_value": c.had_value, "old_value": c.old, "new_value": c.new} for c in changes]
    set_values(updates)
    if inserts:
        db.session.execute(IndicatorValue.__table__.insert(), inserts)
    if log:
        db.session.execute(IndicatorChange.__table__.insert(), log)


def discard_batch(batch_id: int, *, category_id: int, actor_id: int | None) -> ImportBatch:
    """Drop a previewed batch; nothing it read is stored."""
    batch = load_batch(batch_id, category_id)
    if batch.state != "previewed":
        raise not_previewed(batch.state)
    claim(batch, "previewed", state="discarded")
    audit.record("monev.discard", object_type="import_batch", object_id=batch.id,
                 competition_id=batch.category.competition_id, actor_id=actor_id)
    return batch


def rollback_batch(batch_id: int, *, category_id: int, actor_id: int | None) -> ImportBatch:
    """Restore the values a committed batch replaced, and remove the ones it added.

    Refused while a later committed batch changed the same values: roll that back first,
    or the newer figures would be overwritten by older ones.
    """
    batch = load_batch(batch_id, category_id)
    check_phase(batch.category.competition)
    if batch.state != "committed":
        raise ImportRefused(
            f"Hanya batch yang sudah disimpan yang bisa dibatalkan (status: '{batch.state}').",
            f"Only a stored batch can be rolled back (state: '{batch.state}').",
        )
    later = later_overlapping(batch)
    if later:
        shown = ", ".join(f"#{n}" for n in later)
        raise ImportRefused(
            f"Batch {shown} yang lebih baru mengubah nilai yang sama; batalkan batch itu dulu.",
            f"Newer batch {shown} changed the same values; roll that one back first.",
        )
    claim(batch, "committed", state="rolled_back", rolled_back_at=utcnow())
    restored = restore_values(batch)
    audit.record("monev.rollback", object_type="import_batch", object_id=batch.id,
                 competition_id=batch.category.competition_id, actor_id=actor_id,
                 before={"category_id": batch.category_id}, after={"values": restored})
    return batch


def later_overlapping(batch: ImportBatch) -> list[int]:
    """Ids of newer committed batches that touched a value this batch touched."""
    mine, theirs = aliased(IndicatorChange), aliased(IndicatorChange)
    query = (
        select(theirs.batch_id).distinct()
        .join(mine, and_(mine.entry_id == theirs.entry_id,
                         mine.indicator_key == theirs.indicator_key))
        .join(ImportBatch, ImportBatch.id == theirs.batch_id)
        .where(mine.batch_id == batch.id, theirs.batch_id > batch.id,
               ImportBatch.state == "committed")
        .order_by(theirs.batch_id)
    )
    return list(db.session.scalars(query))


def restore_values(batch: ImportBatch) -> int:
    """Put back each replaced value (and which batch set it); delete values the batch added."""
    changes = list(db.session.scalars(
        select(IndicatorChange).where(IndicatorChange.batch_id == batch.id)))
    current = current_values(batch.category_id)
    origin = previous_batches(batch)
    removed = [current[(c.entry_id, c.indicator_key)].id for c in changes
               if not c.had_value and (c.entry_id, c.indicator_key) in current]
    now = utcnow()
    restored = [{"row_id": current[(c.entry_id, c.indicator_key)].id, "new_value": c.old_value,
                 "new_batch": origin.get((c.entry_id, c.indicator_key)), "now": now}
                for c in changes if c.had_value and (c.entry_id, c.indicator_key) in current]
    set_values(restored)
    if removed:
        db.session.execute(delete(IndicatorValue).where(IndicatorValue.id.in_(removed))
                           .execution_options(synchronize_session=False))
    db.session.expire_all()
    return len(changes)


def previous_batches(batch: ImportBatch) -> dict[tuple[int, str], int]:
    """For each value the batch replaced, the latest earlier committed batch that set it."""
    query = (
        select(IndicatorChange.entry_id, IndicatorChange.indicator_key,
               func.max(IndicatorChange.batch_id))
        .join(ImportBatch, ImportBatch.id == IndicatorChange.batch_id)
        .where(ImportBatch.category_id == batch.category_id, ImportBatch.id < batch.id,
               ImportBatch.state == "committed")
        .group_by(IndicatorChange.entry_id, IndicatorChange.indicator_key)
    )
    return {(entry_id, key): batch_id for entry_id, key, batch_id in db.session.execute(query)}


def batches_of(category: Category) -> list[ImportBatch]:
    """A category's import batches, newest first."""
    return list(db.session.scalars(
        select(ImportBatch).where(ImportBatch.category_id == category.id)
        .order_by(ImportBatch.id.desc())))


def same_file_committed(batch: ImportBatch) -> ImportBatch | None:
    """An earlier committed batch of this category with the very same file, if any."""
    return db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.category_id == batch.category_id, ImportBatch.id != batch.id,
            ImportBatch.file_sha256 == batch.file_sha256, ImportBatch.state == "committed")
        .limit(1))


def logged_changes(batch: ImportBatch) -> list[Change]:
    """What a committed (or rolled back) batch changed, from its rollback log."""
    names = {entry.id: (code, entry.name)
             for code, entry in category_entries(batch.category).items()}
    query = select(IndicatorChange).where(IndicatorChange.batch_id == batch.id).order_by(
        IndicatorChange.id)
    return [Change(c.entry_id, *names.get(c.entry_id, (f"#{c.entry_id}", "")), c.indicator_key,
                   c.old_value, c.new_value, c.had_value) for c in db.session.scalars(query)]
