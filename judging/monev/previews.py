"""A workbook read into a ``previewed`` batch once: counts, mapping, questions, and pages of
rows beside the values they would replace, so views and the commit never recompute it.

Values travel as scaled integers (ten-thousandths), exactly as
:class:`~judging.models.types.ScaledDecimal` stores them, in packed pages
(:mod:`judging.monev.pages`): comparing and writing 500,000 of them needs no Decimal
arithmetic and no Python object per cell.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from operator import itemgetter
from typing import NamedTuple

from flask import current_app
from sqlalchemy import BigInteger, delete, select, type_coerce

from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.monev.books import ParsedBook, keep, kept
from judging.io.monev.match import EntrantIndex
from judging.io.monev.reader import MonevPreview, preview_monev
from judging.io.xlsx.bulk import collector_paused
from judging.io.xlsx.safety import WorkbookFacts, WorkbookRefused, inspect_workbook
from judging.models import Category, Entrant, Entry, ImportBatch, ImportBatchPage, IndicatorValue
from judging.monev.pages import NONE, NULL, Page, decode, encode, scaled_array
from judging.monev.refusals import check_phase, from_workbook, not_previewed, wrong_category
from judging.monev.uploads import release_upload
from judging.plugin_setup import methods
from judging.scoring.method import ScoringMethod

PAGE_ROWS = 200
PAGES_PER_FETCH = 25  # pages a streamed read holds at once
SHOWN_MISSING = 300  # entrants without a row named on the preview page (all are counted)
NO_VALUE = NONE  # in a row's "olds" list: the entry has no stored value for the key


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
    rows = _plain_rows(select(Entry.id, Entrant.code, Entrant.name).join(Entry.entrant).where(
        Entry.category_id == category.id, Entry.status != "withdrawn").order_by(Entrant.code))
    return dict(zip(map(itemgetter(1), rows), map(EntryRef._make, rows), strict=True))


def _plain_rows(query) -> list[tuple]:
    """A query's rows as the driver's plain tuples (no Row object each)."""
    connection = db.session.connection()
    compiled = query.compile(dialect=connection.dialect)
    params = tuple(compiled.params[name] for name in compiled.positiontup) \
        if compiled.positional else compiled.params
    return connection.exec_driver_sql(str(compiled), params).cursor.fetchall()


@dataclass
class Enrolled:
    """The entries a preview may fill, as parallel lists from one query (no object each);
    names are loaded only when a preview needs them."""

    category_id: int
    codes: list[str]  # entrant codes, in code order
    ids: list[int]
    _names: dict[str, str] | None = None

    def id_of(self) -> dict[str, int]:
        return dict(zip(self.codes, self.ids, strict=True))

    def names(self) -> dict[str, str]:
        """``{entrant code: name}`` of the category's entries (one query, on first use)."""
        if self._names is None:
            self._names = dict(_plain_rows(_enrolled_query(
                self.category_id, Entrant.code, Entrant.name)))
        return self._names


def _enrolled_query(category_id: int, *columns):
    return select(*columns).join(Entry.entrant).where(
        Entry.category_id == category_id, Entry.status != "withdrawn").order_by(Entrant.code)


def enrolled(category: Category) -> Enrolled:
    """:func:`category_entries` as (code, id) lists: what a 100,000-row preview needs."""
    rows = _plain_rows(_enrolled_query(category.id, Entrant.code, Entry.id))
    return Enrolled(category.id, list(map(itemgetter(0), rows)),
                    list(map(itemgetter(1), rows)))


def unscaled(value: int | None) -> Decimal | None:
    """A stored integer of ten-thousandths as the Decimal the model returns."""
    if value is None or value == NO_VALUE or value == NULL:
        return None
    return Decimal(value).scaleb(-4).quantize(Decimal("0.0001"))


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


def rows_rule(method: ScoringMethod):
    """:func:`row_rule` over whole columns; None (row by row) when the method has its own
    ``validate_row``, which has no column form."""
    if type(method).validate_row is ScoringMethod.validate_row:
        return method.cross_check_rows
    return None


def check_upload(data: bytes) -> WorkbookFacts:
    """An upload's safety check; its facts spare the preview a second pass over the file."""
    try:
        return inspect_workbook(data)
    except WorkbookRefused as refusal:
        raise from_workbook(refusal) from refusal


def facts_param(facts: WorkbookFacts) -> dict:
    """The facts of a checked upload as a background job's parameter (JSON)."""
    return {"kind": facts.kind, "formula_parts": sorted(facts.formula_parts)}


def facts_of(param: dict | None) -> WorkbookFacts | None:
    """:func:`facts_param` back; None (check again) for a job queued without them."""
    if not param:
        return None
    return WorkbookFacts(param["kind"], frozenset(param["formula_parts"]))


def parse(data: bytes, facts: WorkbookFacts | None = None) -> ParsedBook:
    """The workbook checked (unless ``facts`` says it was) and ready to be read; its
    sheets are parsed on first use."""
    try:
        return ParsedBook(data, facts)
    except WorkbookRefused as refusal:
        raise from_workbook(refusal) from refusal


def read_workbook(category: Category, data: bytes | ParsedBook, *,
                  progress: Callable | None = None, decisions: dict | None = None,
                  entries: Enrolled | None = None) -> MonevPreview:
    """Judge a workbook against the category's method, entrants and mapping; stores nothing.

    ``data`` is the file or its :func:`parse`; a book read before is not parsed again.
    """
    method = methods().get(category.method_key)
    entries = enrolled(category) if entries is None else entries
    decisions = decisions or {}
    book = data if isinstance(data, ParsedBook) else parse(data)
    try:
        return preview_monev(
            book, indicators=method.indicators,
            entrants=EntrantIndex(codes=entries.codes, names=entries.names),
            validate_row=row_rule(method), check_rows=rows_rule(method),
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
            progress=progress, choices=decisions.get("choices"),
            remembered=category.monev_mapping or {}, scales=decisions.get("scales"),
        )
    except WorkbookRefused as refusal:
        raise from_workbook(refusal) from refusal


def build_batch(category: Category, data: bytes, *, filename: str, user_id: int | None,
                progress: Callable | None = None, choices: dict | None = None,
                scales: dict | None = None, facts: WorkbookFacts | None = None) -> ImportBatch:
    """Preview ``data`` and stage a ``previewed`` batch keeping the file and what was read.

    Refused workbooks raise :class:`Refused` before anything is staged or stored.
    ``facts`` is :func:`check_upload` of these bytes when the caller made it already.
    """
    check_phase(category.competition)
    decisions = {"choices": dict(choices or {}), "scales": dict(scales or {})}
    with collector_paused():  # a few hundred thousand acyclic objects: no cycle scans
        entries = enrolled(category)
        book = parse(data, facts)
        preview = read_workbook(category, book, progress=progress, decisions=decisions,
                                entries=entries)
    key = evidence_store().put(BytesIO(data))
    sha256 = hashlib.sha256(data).hexdigest()
    keep(sha256, book)  # a mapping applied next re-judges these rows, not the file
    batch = ImportBatch(
        category_id=category.id, file_sha256=sha256,
        filename=(filename or "monev.xlsx")[:255], storage_key=key, uploaded_by_id=user_id,
        state="previewed",
    )
    db.session.add(batch)
    db.session.flush()
    with collector_paused():
        fill(batch, category, preview, decisions, entries)
    return batch


def decide(batch_id: int, *, category_id: int, choices: dict[str, str],
           scales: dict[str, str]) -> ImportBatch:
    """Judge a previewed batch's rows again with the organizer's mapping and scale answers.

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
    with collector_paused():
        entries = enrolled(batch.category)
        preview = read_workbook(batch.category, parsed_again(batch), decisions=decisions,
                                entries=entries)
        db.session.execute(delete(ImportBatchPage).where(ImportBatchPage.batch_id == batch.id))
        fill(batch, batch.category, preview, decisions, entries)
    return batch


def read_kept(batch: ImportBatch) -> bool:
    """Whether this process still keeps the batch's workbook as parsed for its preview."""
    return kept(batch.file_sha256) is not None


def parsed_again(batch: ImportBatch) -> ParsedBook:
    """The batch's workbook as read for its preview when this process still keeps it, else
    its stored file parsed again (a preview read by another worker or long ago)."""
    book = kept(batch.file_sha256)
    if book is not None:
        return book
    handle = evidence_store().open(batch.storage_key)
    try:
        book = parse(handle.read())
    finally:
        handle.close()
    keep(batch.file_sha256, book)
    return book


def fill(batch: ImportBatch, category: Category, preview: MonevPreview, decisions: dict,
         entries: Enrolled) -> None:
    """Store what the preview found: counts, reasons, summary, and the pages of rows."""
    method = methods().get(category.method_key)
    keys = [i.key for i in method.indicators if i.key in preview.columns]
    counts = write_pages(batch.id, preview, keys, entries, raw_values(category.id))
    batch.rows_read = preview.rows_read
    batch.rows_valid = len(preview.table)
    batch.rows_rejected = len(preview.rejected_rows)
    batch.errors = [{"row": p.row_number, "column": p.column, "message_id": p.message_id,
                     "message_en": p.message_en} for p in preview.rejected]
    names = entries.names() if preview.missing_entrants else {}
    batch.summary = {
        "kind": preview.kind, "sheet": preview.sheet, "header_row": preview.header_row,
        "columns": dict(preview.columns), "keys": keys,
        "mapping": [m.as_dict() for m in preview.mapping],
        "unmapped": [{"key": key, "required": method.indicator(key).required}
                     for key in preview.unmapped],
        "questions": [q._asdict() for q in preview.scale_questions],
        "decisions": decisions, "missing": list(preview.missing_entrants),
        "missing_named": [[code, names.get(code, "")]
                          for code in preview.missing_entrants[:SHOWN_MISSING]],
        "extra_columns": list(preview.extra_columns),
        "suggestions": [list(s) for s in preview.suggestions],
        "skipped_rows": list(preview.skipped_rows),
        "new_values": counts[0], "replaced": counts[1], "pages": counts[2],
    }


def write_pages(batch_id: int, preview: MonevPreview, keys: list[str],
                entries: Enrolled, current: dict) -> tuple[int, int, int]:
    """Store the valid rows in packed pages beside the values they replace, straight from
    the preview's columns; returns (new values, replaced values, pages)."""
    import numpy as np

    table, width = preview.table, len(keys)
    if not len(table) or not width:
        return 0, 0, 0
    rows = table.numbers.astype(np.int32)
    ids = np.fromiter(map(entries.id_of().__getitem__, table.codes), np.int64, len(table))
    order = [table.keys.index(key) for key in keys]
    news = scaled_array(np.ascontiguousarray(table.values[:, order]))
    olds = stored_olds(ids, keys, current)
    present = news != NONE
    if olds is None:
        new, replaced = int(present.sum()), 0
    else:
        had = olds != NONE
        new = int((present & ~had).sum())
        replaced = int((present & had & (olds != news)).sum())
    pages = [{"batch_id": batch_id, "page": number, "data": encode(
        rows[at:at + PAGE_ROWS], ids[at:at + PAGE_ROWS], news[at:at + PAGE_ROWS],
        None if olds is None else olds[at:at + PAGE_ROWS])}
        for number, at in enumerate(range(0, len(table), PAGE_ROWS))]
    db.session.execute(ImportBatchPage.__table__.insert(), pages)
    return new, replaced, len(pages)


def stored_olds(ids, keys: list[str], current: dict):
    """The stored values under the rows' entries and keys (NONE: none), or None if none."""
    import numpy as np

    if not current:
        return None
    row_of = {entry_id: i for i, entry_id in enumerate(ids.tolist())}
    col_of = {key: j for j, key in enumerate(keys)}
    found = [(row_of[entry_id], col_of[key], NULL if value is None else value)
             for (entry_id, key), (_id, value) in current.items()
             if entry_id in row_of and key in col_of]
    if not found:
        return None
    olds = np.full((len(ids), len(keys)), NONE, dtype=np.int64)
    at_row, at_col, values = zip(*found, strict=True)
    olds[list(at_row), list(at_col)] = values
    return olds


def entrant_names(entry_ids) -> dict[int, tuple[str, str]]:
    """``{entry id: (entrant code, name)}`` for the entries of one page."""
    query = (select(Entry.id, Entrant.code, Entrant.name).join(Entry.entrant)
             .where(Entry.id.in_([int(i) for i in entry_ids])))
    return {entry_id: (code, name) for entry_id, code, name in db.session.execute(query)}


def as_rows(page: Page) -> list[list]:
    """A decoded page as ``[row, entry id, code, name, news, olds]`` lists (None: empty
    cell; in olds, NO_VALUE: nothing stored, None: stored empty)."""
    names = entrant_names(page.entry_ids)
    olds = [None] * len(page.rows) if page.olds is None else [
        [None if v == NULL else v for v in olds] for olds in page.olds.tolist()]
    return [[n, entry_id, *names.get(entry_id, ("", "")),
             [None if v == NONE else v for v in news], old]
            for n, entry_id, news, old in zip(page.rows.tolist(), page.entry_ids.tolist(),
                                             page.news.tolist(), olds, strict=True)]


def page_rows(batch: ImportBatch, page: int) -> list[list]:
    """One stored page of a batch's rows (empty past the end)."""
    found = db.session.scalar(select(ImportBatchPage.data).where(
        ImportBatchPage.batch_id == batch.id, ImportBatchPage.page == page))
    return as_rows(decode(found)) if found else []


def stored_pages(batch: ImportBatch) -> Iterator[Page]:
    """Every stored page of a batch, decoded, in order, in one streamed query."""
    query = (select(ImportBatchPage.data).where(ImportBatchPage.batch_id == batch.id)
             .order_by(ImportBatchPage.page).execution_options(yield_per=PAGES_PER_FETCH))
    for blob in db.session.scalars(query):
        yield decode(blob)


def all_rows(batch: ImportBatch) -> Iterator[list]:
    """Every stored row of a batch, page by page, never all pages in memory at once."""
    for page in stored_pages(batch):
        yield from as_rows(page)


def changes_in(batch: ImportBatch, rows: list[list]) -> list[Change]:
    """The changes a list of stored rows holds (as computed when the batch was read)."""
    keys = batch.summary.get("keys", [])
    found = []
    for _n, entry_id, code, name, news, olds in rows:
        for key, new, old in zip(keys, news, olds or [NO_VALUE] * len(keys), strict=True):
            if new is not None and old != new:
                found.append(Change(entry_id, code, name, key, unscaled(old), unscaled(new),
                                    old != NO_VALUE))
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
