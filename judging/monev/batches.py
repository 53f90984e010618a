"""Import batches: preview a workbook into a batch, then commit, discard or roll it back.

Services stage their writes in the session and never commit: the caller commits on
success and rolls back on :class:`Refused`, so a refused action changes nothing.
A commit claims its batch with a conditional UPDATE (``previewed`` → ``committed``)
before writing values, so a double submit or a second worker imports nothing twice.
"""

from __future__ import annotations

from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sqlalchemy import DateTime, and_, bindparam, delete, func, select, update
from sqlalchemy.orm import aliased

from judging import audit
from judging.extensions import db
from judging.io.xlsx.numbers import format_number
from judging.models import (
    Category,
    Entrant,
    Entry,
    ImportBatch,
    IndicatorChange,
    IndicatorValue,
)
from judging.models.types import utcnow
from judging.monev.previews import (  # noqa: F401  (build_batch, pending_changes: callers' door)
    Change,
    EntryRef,
    all_rows,
    build_batch,
    category_entries,
    discard_upload,
    pending_changes,
    raw_values,
)
from judging.monev.refusals import check_phase, not_previewed, wrong_category
from judging.plugin_setup import methods
from judging.refusals import Refused

QUANTUM = Decimal("0.0001")
WRITE_CHUNK = 20_000


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
        raise not_previewed(batch.state) if from_state == "previewed" else Refused(
            f"Batch ini berstatus '{batch.state}', bukan '{from_state}'; muat ulang halaman.",
            f"This batch is '{batch.state}', not '{from_state}'; reload the page.",
        )
    db.session.refresh(batch)


def commit_batch(batch_id: int, *, category_id: int, skip_invalid: bool,
                 actor_id: int | None, via: str = "web") -> ImportBatch:
    """Store every valid row of a previewed batch in the caller's one transaction.

    Refused when rows were rejected unless ``skip_invalid`` is chosen explicitly, when a
    required indicator has no column, a scale question is open or nothing would be stored,
    when the batch is no longer ``previewed`` (double submit) and when an entrant left the
    category. The headers the organizer mapped are remembered for the category.
    """
    batch = load_batch(batch_id, category_id)
    check_commit(batch, skip_invalid, via=via)
    claim(batch, "previewed", state="committed", committed_at=utcnow(),
          skip_invalid=bool(skip_invalid and batch.rows_rejected))
    written = write_rows(batch)
    if not written:
        raise nothing_to_store()
    remember_mapping(batch)
    audit.record("monev.commit", object_type="import_batch", object_id=batch.id,
                 competition_id=batch.category.competition_id, actor_id=actor_id,
                 after={"category_id": batch.category_id, "values": written,
                        "rows_valid": batch.rows_valid, "rows_rejected": batch.rows_rejected,
                        "skip_invalid": batch.skip_invalid, "file_sha256": batch.file_sha256})
    return batch


def check_commit(batch: ImportBatch, skip_invalid: bool, *, via: str = "web") -> None:
    """Refuse a commit that cannot be done now; the claim inside the commit still decides.

    Entrants who left the category since the preview are found while the rows are written
    (one pass over the stored pages), and refuse the commit there.
    """
    check_phase(batch.category.competition)
    if batch.state != "previewed":
        raise not_previewed(batch.state)
    summary = batch.summary
    method = methods().get(batch.category.method_key)
    required = [method.indicator(u["key"]).header for u in summary.get("unmapped", [])
                if u.get("required")]
    if required:
        shown = ", ".join(f"'{h}'" for h in required)
        raise Refused(
            f"Indikator wajib tanpa kolom: {shown}. Pilih kolomnya di pemetaan lalu simpan.",
            f"Required indicators have no column: {shown}. Choose their column in the "
            "mapping, then store.")
    if summary.get("questions"):
        shown = ", ".join(f"'{q['header']}'" for q in summary["questions"])
        raise Refused(
            f"Kolom {shown} mencampur pecahan (0–1) dan angka 0–100; jawab pertanyaan skala dulu.",
            f"Columns {shown} mix fractions (0–1) and 0–100 numbers; answer the scale "
            "question first.")
    if batch.rows_rejected and not skip_invalid:
        raise rejected_rows(batch.rows_rejected, via)
    if not batch.rows_valid or not (summary.get("new_values") or summary.get("replaced")):
        raise nothing_to_store()


def rejected_rows(count: int, via: str) -> Refused:
    """Rows were rejected: fix the file, or choose to skip them (named the way ``via`` does)."""
    n_id, n_en = format_number(count, "id"), format_number(count, "en")
    if via == "cli":
        return Refused(
            f"{n_id} baris ditolak. Perbaiki berkasnya dan jalankan ulang, atau tambahkan "
            "--skip-invalid untuk menyimpan baris yang valid saja.",
            f"{n_en} rows were rejected. Fix the file and run again, or add --skip-invalid "
            "to store only the valid rows.")
    return Refused(
        f"{n_id} baris ditolak. Perbaiki berkasnya dan unggah ulang, atau centang 'lewati "
        "baris yang ditolak' untuk menyimpan baris yang valid saja.",
        f"{n_en} rows were rejected. Fix the file and upload it again, or tick 'skip "
        "rejected rows' to store only the valid rows.")


def nothing_to_store() -> Refused:
    """A batch whose valid rows change no value: committing it would record an empty import."""
    return Refused(
        "Tidak ada nilai baru atau berubah untuk disimpan; batch tidak disimpan.",
        "There are no new or changed values to store; the batch was not stored.")


def write_rows(batch: ImportBatch) -> int:
    """Write the batch's rows against the values stored *now*; count the changes.

    One pass over the stored pages stages plain tuples in a temporary table, a chunk at a
    time; three set-based statements then log, update and insert. Each value is bound
    once instead of once per table, and no Decimal or ORM object is made per value.
    """
    current = raw_values(batch.category_id)
    enrolled = enrolled_entry_ids(batch.category_id)
    keys = batch.summary.get("keys", [])
    connection = db.session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(_STAGE_TABLE)
    staged: list[tuple] = []
    gone: set[str] = set()
    written = 0
    for _n, entry_id, code, _name, news, _olds in all_rows(batch):
        if entry_id not in enrolled:
            gone.add(code)
            continue
        for key, new in zip(keys, news, strict=True):
            if new is None:
                continue
            stored = current.get((entry_id, key))
            if stored is None:
                staged.append((entry_id, key, new, None, False, None))
            elif stored[1] != new:
                staged.append((entry_id, key, new, stored[0], True, stored[1]))
        if len(staged) >= WRITE_CHUNK:
            written += _stage(connection, staged, marker)
    written += _stage(connection, staged, marker)
    if gone:
        raise entrants_gone(sorted(gone))
    stamp = _db_time()
    for sql in _APPLY:
        connection.exec_driver_sql(sql.replace("?", marker), (batch.id, stamp)[:sql.count("?")])
    connection.exec_driver_sql("DROP TABLE monev_staged")
    return written


def enrolled_entry_ids(category_id: int) -> set[int]:
    """Ids of the entries that may receive values now (withdrawn ones left out)."""
    return set(db.session.connection().execute(select(Entry.id).where(
        Entry.category_id == category_id, Entry.status != "withdrawn")).scalars())


def entrants_gone(codes: list[str]) -> Refused:
    """Rows of entrants who left the category (or withdrew) after the preview."""
    shown = ", ".join(codes[:20]) + (f" (+{len(codes) - 20})" if len(codes) > 20 else "")
    return Refused(
        f"Peserta {shown} tidak lagi terdaftar di kategori ini; unggah ulang.",
        f"Entrants {shown} are no longer enrolled in this category; upload again.",
    )


_STAGE_TABLE = (
    "CREATE TEMPORARY TABLE monev_staged (entry_id INTEGER, indicator_key VARCHAR(60), "
    "new_value BIGINT, row_id INTEGER, had_value BOOLEAN, old_value BIGINT)"
)
_APPLY = (
    "INSERT INTO indicator_changes (batch_id, entry_id, indicator_key, had_value, old_value, "
    "new_value) SELECT ?, entry_id, indicator_key, had_value, old_value, new_value "
    "FROM monev_staged",
    "UPDATE indicator_values SET value = s.new_value, batch_id = ?, updated_at = ? "
    "FROM monev_staged AS s WHERE indicator_values.id = s.row_id",
    "INSERT INTO indicator_values (entry_id, indicator_key, value, batch_id, updated_at) "
    "SELECT entry_id, indicator_key, new_value, ?, ? FROM monev_staged WHERE row_id IS NULL",
)


def _stage(connection, rows: list[tuple], marker: str) -> int:
    count = len(rows)
    if rows:
        connection.exec_driver_sql(
            "INSERT INTO monev_staged VALUES (?, ?, ?, ?, ?, ?)".replace("?", marker), rows)
        rows.clear()
    return count


def _db_time():
    """Now, as the database column stores it (bound once for half a million rows)."""
    dialect = db.session.get_bind().dialect
    naive = utcnow().astimezone(UTC).replace(tzinfo=None)
    process = DateTime().dialect_impl(dialect).bind_processor(dialect)
    return process(naive) if process else naive


def remember_mapping(batch: ImportBatch) -> None:
    """Keep the headers mapped by hand on this batch for the category's next files."""
    choices = batch.summary.get("decisions", {}).get("choices", {})
    if choices:
        category = batch.category
        category.monev_mapping = {**(category.monev_mapping or {}), **choices}


def discard_batch(batch_id: int, *, category_id: int, actor_id: int | None) -> ImportBatch:
    """Drop a previewed batch; nothing it read is stored, and its workbook is deleted."""
    batch = load_batch(batch_id, category_id)
    if batch.state != "previewed":
        raise not_previewed(batch.state)
    claim(batch, "previewed", state="discarded")
    discard_upload(batch)
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
        raise Refused(
            f"Hanya batch yang sudah disimpan yang bisa dibatalkan (status: '{batch.state}').",
            f"Only a stored batch can be rolled back (state: '{batch.state}').",
        )
    later = later_overlapping(batch)
    if later:
        shown = ", ".join(f"#{n}" for n in later)
        raise Refused(
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


def logged_changes(batch: ImportBatch, *, offset: int = 0, limit: int | None = None
                   ) -> list[Change]:
    """What a committed (or rolled back) batch changed, from its rollback log, a page at a time."""
    query = (
        select(IndicatorChange.entry_id, Entrant.code, Entrant.name, IndicatorChange.indicator_key,
               IndicatorChange.old_value, IndicatorChange.new_value, IndicatorChange.had_value)
        .join(Entry, Entry.id == IndicatorChange.entry_id).join(Entry.entrant)
        .where(IndicatorChange.batch_id == batch.id).order_by(IndicatorChange.id)
        .offset(offset).limit(limit)
    )
    return [Change(*row) for row in db.session.execute(query)]


def logged_count(batch: ImportBatch) -> tuple[int, int]:
    """(values changed, of which replaced) by a committed or rolled back batch."""
    query = select(func.count(), func.count().filter(IndicatorChange.had_value)).where(
        IndicatorChange.batch_id == batch.id)
    total, replaced = db.session.execute(query).one()
    return total, replaced
