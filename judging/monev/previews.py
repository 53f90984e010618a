"""A workbook read into a ``previewed`` batch once: counts, mapping, questions, and pages of
rows beside the values they would replace, so views and the commit never recompute it.

Values travel as scaled integers (ten-thousandths), exactly as
:class:`~judging.models.types.ScaledDecimal` stores them: comparing and writing 500,000
of them needs no Decimal arithmetic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from typing import NamedTuple

from flask import current_app
from sqlalchemy import BigInteger, delete, select, type_coerce

from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.monev.reader import MonevPreview, preview_monev
from judging.io.xlsx.safety import WorkbookRefused
from judging.models import Category, Entrant, Entry, ImportBatch, ImportBatchPage, IndicatorValue
from judging.monev.refusals import check_phase, from_workbook, not_previewed, wrong_category
from judging.monev.uploads import release_upload
from judging.plugin_setup import methods
from judging.scoring.method import ScoringMethod

SCALE = 10_000  # IndicatorValue keeps four decimal places
PAGE_ROWS = 200
PAGES_PER_FETCH = 25  # pages a streamed read holds at once
SHOWN_MISSING = 300  # entrants without a row named on the preview page (all are counted)
NO_VALUE = None  # in a page's "old" list: the entry has no stored value for the key


class EntryRef(NamedTuple):
    """An entry as imports need it: plain values, cheap for tens of thousands of rows."""

    id: int
    code: str  # the entrant's code, as workbooks name it
    name: str


class Change(NamedTuple):
    """One value a batch sets: ``old`` is None when the entry had no value yet."""

    entry_id: int
    code: str
    name: str
    key: str
    old: Decimal | None
    new: Decimal | None
    had_value: bool


def category_entries(category: Category) -> dict[str, EntryRef]:
    """Entries that may receive monev values, by their entrant's code (withdrawn left out)."""
    query = (
        select(Entry.id, Entrant.code, Entrant.name).join(Entry.entrant)
        .where(Entry.category_id == category.id, Entry.status != "withdrawn")
        .order_by(Entrant.code)
    )
    rows = db.session.connection().execute(query)  # Core rows: no ORM work per entry
    return {code: EntryRef(entry_id, code, name) for entry_id, code, name in rows}


def scaled(value: float) -> int:
    """A read number as the stored integer of ten-thousandths (half up, like Decimal)."""
    if value.is_integer():
        return int(value) * SCALE
    product = value * SCALE
    nearest = round(product)
    if abs(abs(product - nearest) - 0.5) > 1e-6:
        return nearest
    exact = Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return int(exact.scaleb(4))


def unscaled(value: int | None) -> Decimal | None:
    """A stored integer of ten-thousandths as the Decimal the model returns."""
    return None if value is None else Decimal(value).scaleb(-4).quantize(Decimal("0.0001"))


def raw_values(category_id: int) -> dict[tuple[int, str], tuple[int, int | None]]:
    """Stored values of a category as ``{(entry id, key): (row id, scaled value)}``."""
    table = IndicatorValue.__table__
    query = (
        select(table.c.entry_id, table.c.indicator_key, table.c.id,
               type_coerce(table.c.value, BigInteger))
        .join(Entry, Entry.id == table.c.entry_id).where(Entry.category_id == category_id)
    )
    return {(entry_id, key): (row_id, value)
            for entry_id, key, row_id, value in db.session.execute(query)}


def row_rule(method: ScoringMethod):
    """The method's check of a whole row, minus what the reader already checks per cell."""
    if type(method).validate_row is ScoringMethod.validate_row:
        return method.cross_check
    return method.validate_row


def read_workbook(category: Category, data: bytes, *, progress: Callable | None = None,
                  decisions: dict | None = None, entries: dict | None = None) -> MonevPreview:
    """Judge a workbook against the category's method, entrants and mapping; stores nothing."""
    method = methods().get(category.method_key)
    entries = category_entries(category) if entries is None else entries
    decisions = decisions or {}
    try:
        return preview_monev(
            data, indicators=method.indicators,
            entrants=[(code, entry[2]) for code, entry in entries.items()],
            validate_row=row_rule(method), max_rows=current_app.config["IMPORT_MAX_ROWS"],
            progress=progress, choices=decisions.get("choices"),
            remembered=category.monev_mapping or {}, scales=decisions.get("scales"),
        )
    except WorkbookRefused as refusal:
        raise from_workbook(refusal) from refusal


def build_batch(category: Category, data: bytes, *, filename: str, user_id: int | None,
                progress: Callable | None = None, choices: dict | None = None,
                scales: dict | None = None) -> ImportBatch:
    """Preview ``data`` and stage a ``previewed`` batch keeping the file and what was read.

    Refused workbooks raise :class:`Refused` before anything is staged or stored.
    """
    check_phase(category.competition)
    decisions = {"choices": dict(choices or {}), "scales": dict(scales or {})}
    entries = category_entries(category)
    preview = read_workbook(category, data, progress=progress, decisions=decisions,
                            entries=entries)
    key = evidence_store().put(BytesIO(data))
    batch = ImportBatch(
        category_id=category.id, file_sha256=hashlib.sha256(data).hexdigest(),
        filename=(filename or "monev.xlsx")[:255], storage_key=key, uploaded_by_id=user_id,
        state="previewed",
    )
    db.session.add(batch)
    db.session.flush()
    fill(batch, category, preview, decisions, entries)
    return batch


def decide(batch_id: int, *, category_id: int, choices: dict[str, str],
           scales: dict[str, str]) -> ImportBatch:
    """Read a previewed batch's file again with the organizer's mapping and scale answers.

    The batch keeps its id and file; a refusal (e.g. two columns now meaning one
    indicator) raises :class:`Refused` and the caller's rollback keeps it as it was.
    """
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.category_id != category_id:
        raise wrong_category()
    check_phase(batch.category.competition)
    if batch.state != "previewed":
        raise not_previewed(batch.state)
    old = batch.summary.get("decisions", {})
    decisions = {"choices": {**old.get("choices", {}), **choices},
                 "scales": {**old.get("scales", {}), **scales}}
    handle = evidence_store().open(batch.storage_key)
    try:
        data = handle.read()
    finally:
        handle.close()
    entries = category_entries(batch.category)
    preview = read_workbook(batch.category, data, decisions=decisions, entries=entries)
    db.session.execute(delete(ImportBatchPage).where(ImportBatchPage.batch_id == batch.id))
    fill(batch, batch.category, preview, decisions, entries)
    return batch


def fill(batch: ImportBatch, category: Category, preview: MonevPreview, decisions: dict,
         entries: dict[str, EntryRef]) -> None:
    """Store what the preview found: counts, reasons, summary, and the pages of rows."""
    method = methods().get(category.method_key)
    keys = [i.key for i in method.indicators if i.key in preview.columns]
    counts = write_pages(batch.id, preview, keys, entries, raw_values(category.id))
    batch.rows_read = preview.rows_read
    batch.rows_valid = len(preview.rows)
    batch.rows_rejected = len(preview.rejected_rows)
    batch.errors = [{"row": p.row_number, "column": p.column, "message_id": p.message_id,
                     "message_en": p.message_en} for p in preview.rejected]
    batch.summary = {
        "kind": preview.kind, "sheet": preview.sheet, "header_row": preview.header_row,
        "columns": dict(preview.columns), "keys": keys,
        "mapping": [m.as_dict() for m in preview.mapping],
        "unmapped": [{"key": key, "required": method.indicator(key).required}
                     for key in preview.unmapped],
        "questions": [q._asdict() for q in preview.scale_questions],
        "decisions": decisions, "missing": list(preview.missing_entrants),
        "missing_named": [[code, entries[code].name]
                          for code in preview.missing_entrants[:SHOWN_MISSING]],
        "extra_columns": list(preview.extra_columns),
        "suggestions": [list(s) for s in preview.suggestions],
        "skipped_rows": list(preview.skipped_rows),
        "new_values": counts[0], "replaced": counts[1], "pages": counts[2],
    }


def write_pages(batch_id: int, preview: MonevPreview, keys: list[str],
                entries: dict[str, EntryRef], current: dict) -> tuple[int, int, int]:
    """Pages of ``[row, entry id, code, name, news, olds]`` (olds None: nothing stored for
    the entry); returns (new values, replaced values, pages)."""
    new = replaced = 0
    stored_entries = {entry_id for entry_id, _key in current}
    pages: list[dict] = []
    page: list[list] = []
    for row_number, code, values in preview.rows:
        entry_id, _code, name = entries[code]
        news = [None if (v := values.get(key)) is None
                else (int(v) * SCALE if v.is_integer() else scaled(v)) for key in keys]
        if entry_id in stored_entries:
            olds = [NO_VALUE if (s := current.get((entry_id, key))) is None else s[1]
                    for key in keys]
            for number, old, key in zip(news, olds, keys, strict=True):
                if number is not None and old != number:
                    if (entry_id, key) in current:
                        replaced += 1
                    else:
                        new += 1
        else:
            olds = None
            new += len(news) - news.count(None)
        page.append([row_number, entry_id, code, name, news, olds])
        if len(page) == PAGE_ROWS:
            pages.append({"batch_id": batch_id, "page": len(pages), "rows": page})
            page = []
    if page:
        pages.append({"batch_id": batch_id, "page": len(pages), "rows": page})
    if pages:
        db.session.execute(ImportBatchPage.__table__.insert(), pages)
    return new, replaced, len(pages)


def page_rows(batch: ImportBatch, page: int) -> list[list]:
    """One stored page of a batch's rows (empty past the end)."""
    found = db.session.scalar(select(ImportBatchPage.rows).where(
        ImportBatchPage.batch_id == batch.id, ImportBatchPage.page == page))
    return found or []


def all_rows(batch: ImportBatch) -> Iterator[list]:
    """Every stored row of a batch in one streamed query, never all pages in memory at once."""
    query = (select(ImportBatchPage.rows).where(ImportBatchPage.batch_id == batch.id)
             .order_by(ImportBatchPage.page).execution_options(yield_per=PAGES_PER_FETCH))
    for rows in db.session.scalars(query):
        yield from rows


def changes_in(batch: ImportBatch, rows: list[list]) -> list[Change]:
    """The changes a list of stored rows holds (as computed when the batch was read)."""
    keys = batch.summary.get("keys", [])
    found = []
    for _n, entry_id, code, name, news, olds in rows:
        for key, new, old in zip(keys, news, olds or [NO_VALUE] * len(keys), strict=True):
            if new is not None and old != new:
                found.append(Change(entry_id, code, name, key, unscaled(old), unscaled(new),
                                    old is not NO_VALUE))
    return found


def pending_changes(batch: ImportBatch) -> list[Change]:
    """What the preview found committing would change (small batches, tests, the CLI)."""
    return changes_in(batch, list(all_rows(batch)))


def discard_upload(batch: ImportBatch) -> None:
    """Forget a batch's workbook unless another batch or an evidence still uses it."""
    key, batch.storage_key = batch.storage_key, None
    db.session.flush()
    if key:
        release_upload(key)
