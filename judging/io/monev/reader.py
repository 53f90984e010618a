"""Read a monev workbook into a preview: matched rows, rejected rows with reasons, gaps.

Pure: bytes in, a frozen :class:`MonevPreview` out; storing is the caller's business.
Whole-file problems raise :class:`~judging.io.xlsx.safety.WorkbookRefused`; problems of
single rows become :class:`RowProblem` lines and the row is left out of ``rows``.

What is skipped, not rejected: blank rows; the row right under the header when it holds
no entrant and no number in any indicator column (the template's units/guidance row, a
"(1) (2) (3)" numbering row); "Jumlah"/"Total"/"Rata-rata" rows at the bottom; rows that
name an entrant but leave every indicator empty (that entrant counts as missing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from judging.io.monev import rows as monev_rows
from judging.io.monev.books import ParsedBook
from judging.io.monev.columns import MonevRow, RowsCheck, RowTable, each_row
from judging.io.monev.mapping import HeaderMapping
from judging.io.monev.match import HEADER_SCAN_ROWS, EntrantIndex, Header, find_header
from judging.io.monev.rows import ScaleQuestion, too_many_rows
from judging.io.xlsx.bulk import collector_paused
from judging.io.xlsx.safety import WorkbookRefused

MAX_ROWS = 200_000
ROW_SLACK = 20  # title, guidance, blank and totals rows a sheet may hold beyond its data


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row was rejected; ``column`` is the header text as written, or ''."""

    row_number: int
    column: str
    message_id: str
    message_en: str


class Suggestion(NamedTuple):
    """A near-miss entrant name and the entrant it probably means (never applied)."""

    row_number: int
    written: str
    code: str
    name: str


@dataclass(frozen=True)
class MonevPreview:
    """Everything an organizer must see before confirming an import."""

    kind: str  # "xlsx" or "xlsm"
    sheet: str
    header_row: int  # 1-based, as Excel numbers rows
    columns: dict[str, str]  # indicator key -> header text found
    table: RowTable  # the valid rows, as columns
    rejected: list[RowProblem]
    missing_entrants: list[str]  # codes with no row in the file
    extra_columns: list[str]
    suggestions: list[Suggestion]
    rows_read: int
    skipped_rows: list[int] = field(default_factory=list)
    mapping: list[HeaderMapping] = field(default_factory=list)  # every header, and why
    unmapped: list[str] = field(default_factory=list)  # indicator keys with no column
    scale_questions: list[ScaleQuestion] = field(default_factory=list)

    @cached_property
    def rows(self) -> list[MonevRow]:
        """The valid rows one by one (small files, tests); large ones use ``table``."""
        return self.table.as_rows()

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one problem, in order."""
        return sorted({p.row_number for p in self.rejected})


def preview_monev(
    data: bytes | ParsedBook,
    *,
    indicators: Sequence,
    entrants: Sequence[tuple[str, str]] | EntrantIndex,
    validate_row: Callable | None = None,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
    choices: dict[str, str] | None = None,
    remembered: dict[str, str] | None = None,
    scales: dict[str, str] | None = None,
    check_rows: RowsCheck | None = None,
) -> MonevPreview:
    """Check, read and judge a monev workbook without storing anything.

    ``data`` is the file, or a :class:`ParsedBook` of it read before (then it is judged
    again without being parsed again).

    ``validate_row(values) -> list[RowError]`` (a scoring method's) runs on rows whose
    every value is valid alone, for rules across columns; ``check_rows(columns)``, when
    given, is the same rule over whole columns (float arrays, NaN: empty) and yields the
    positions of rows that may break it, which are then judged one by one (by default
    ``validate_row`` runs on each row). ``progress(done, total)`` is
    called every few thousand rows for a background job's progress bar. ``choices`` (this
    time) and ``remembered`` (the category's) map headers to indicator keys or '' (ignore);
    ``scales`` answers mixed-scale questions: ``{key: "fraction" | "as_written"}``.
    """
    with collector_paused():
        return _preview(data, indicators, entrants, validate_row, max_rows, progress,
                        choices, remembered, scales, check_rows)


def _preview(data, indicators, entrants, validate_row, max_rows, progress,
             choices=None, remembered=None, scales=None, check_rows=None) -> MonevPreview:
    book = data if isinstance(data, ParsedBook) else ParsedBook(data)
    facts = book.facts
    index = entrants if isinstance(entrants, EntrantIndex) else EntrantIndex(entrants)
    sheet, header = _read_sheet(book, indicators, max_rows, choices, remembered)
    rows = sheet.rows
    _refuse_bad_header(header, indicators)
    validate_row = _only_found(validate_row, header, indicators)
    if check_rows is None and validate_row is not None:
        check_rows = each_row(validate_row)
    reader = monev_rows.RowReader(
        xml=book.sheet_xml(sheet.name),
        sheet=sheet,
        header=header,
        indicators=indicators,
        index=index,
        validate_row=validate_row,
        progress=progress,
        max_rows=max_rows,
        scales=scales or {},
        check_rows=check_rows,
    )
    result = reader.read(rows)
    extra = [m.text for m in header.mapping if m.target == ""]
    return MonevPreview(
        kind=facts.kind,
        sheet=sheet.name,
        header_row=header.row_index + 1,
        columns={key: header.texts[col] for key, col in header.indicator_columns.items()},
        table=result.table,
        rejected=[RowProblem(*p) for p in result.problems],
        missing_entrants=_missing(index.codes, result.seen),
        extra_columns=extra,
        suggestions=[Suggestion(*s) for s in result.suggestions],
        rows_read=result.rows_read,
        skipped_rows=result.skipped,
        mapping=header.mapping,
        unmapped=[i.key for i in indicators if i.key not in header.indicator_columns],
        scale_questions=result.questions,
    )


def _read_sheet(book: ParsedBook, indicators, max_rows: int, choices=None, remembered=None):
    """The first worksheet with a recognisable header, its header and all its rows."""
    for name in book.worksheets():
        head = book.head(name)
        header = find_header(head.rows[:HEADER_SCAN_ROWS], indicators, choices, remembered)
        if header is None:
            continue
        last = head.end[0] if head.end else header.row_index
        if last - header.row_index > max_rows + ROW_SLACK:
            raise too_many_rows(last - header.row_index, max_rows, about=True)
        return book.whole(name), header
    names = ", ".join(f"'{i.header}'" for i in indicators)
    raise WorkbookRefused(
        "Tidak ada lembar dengan baris judul kolom yang dikenali di 20 baris pertama: "
        f"perlu kolom 'Kode' atau 'Nama' dan setidaknya satu dari {names}.",
        "No sheet has a recognisable header row within its first 20 rows: it needs a "
        f"'Kode' or 'Nama' column and at least one of {names}.",
    )


def _refuse_bad_header(header: Header, indicators) -> None:
    for key, texts in header.duplicates.items():
        shown = " dan ".join(f"'{t}'" for t in texts)
        raise WorkbookRefused(
            f"Kolom {shown} sama-sama berarti '{_header_of(indicators, key)}'; sisakan satu.",
            f"Columns {shown.replace(' dan ', ' and ')} both mean "
            f"'{_header_of(indicators, key)}'; keep one.",
        )


def _only_found(validate_row, header: Header, indicators):
    """The row rule without complaints about indicators that have no column in this file
    (those are named once in the preview, not on every row)."""
    absent = {i.key for i in indicators} - set(header.indicator_columns)
    if validate_row is None or not absent:
        return validate_row
    return lambda values: [e for e in validate_row(values) if e.column not in absent]


def _missing(codes: Sequence[str], seen: dict[str, int]) -> list[str]:
    """Codes with no row in the file, in the category's order."""
    if len(seen) >= len(codes):  # every row names an enrolled code: all are there
        return []
    return [code for code in codes if code not in seen]


def _header_of(indicators, key: str) -> str:
    return next(i.header for i in indicators if i.key == key)


