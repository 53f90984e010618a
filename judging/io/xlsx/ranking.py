"""The ranking workbook: winners, one ranking sheet per category, per criterion, per juror.

Pure: plain dataclasses in, ``.xlsx`` bytes out; the app builds the dataclasses from a
frozen ranking. Written with openpyxl's write-only mode (streamed rows, styles shared
between cells) because a competition can hold thousands of entries.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from judging.io.xlsx.cells import as_text, safe_cell, sheet_title, styled_cell
from judging.io.xlsx.words import INDONESIAN, Words
from judging.scoring.types import Component, Criterion, RankedEntry

HEADER_ROW = 4  # rows 1–2 carry the sheet's title, row 3 is blank
SCORE_FORMAT = "0.00"
_WIDTH_SAMPLE = 300  # rows looked at when sizing columns
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportRow:
    """One entry of a frozen category ranking, as shown in the workbook."""

    rank: int
    entrant_code: str
    entrant_name: str
    components: dict[str, Decimal]  # component key -> 0..100
    total: Decimal
    band: str | None = None
    award: str | None = None
    special_awards: list[str] = field(default_factory=list)
    jurors_counted: int = 0
    advanced: bool = True
    flags: tuple[str, ...] = ()  # display labels (already in the reader's language)
    criterion_means: dict[str, float] = field(default_factory=dict)  # criterion key -> mean
    juror_scores: dict[str, float] = field(default_factory=dict)  # juror label -> score


@dataclass(frozen=True)
class ExportCategory:
    """One category: its scheme, its rubric and its ranked rows (best first)."""

    name: str
    method_label: str
    level: str
    components: list[Component]
    criteria: list[Criterion]
    rows: list[ExportRow]
    override_note: str = ""  # why the ranking was frozen despite missing data, if it was


@dataclass(frozen=True)
class ExportCompetition:
    """What the workbook is about; ``generated_at`` goes into the sheets and properties.

    ``words`` speak the reader's language (headers, sheet names, notes); labels inside the
    categories (level, band, award, components) come already translated.
    """

    name: str
    year: int
    organiser: str
    categories: list[ExportCategory]
    generated_at: datetime
    words: Words = INDONESIAN


def row_from_ranked(
    entry: RankedEntry,
    *,
    entrant_code: str,
    juror_labels: Mapping[int, str],
    award: str | None = None,
    special_awards: Sequence[str] = (),
    criterion_means: Mapping[str, float] | None = None,
    flag_labels: Mapping[str, str] | None = None,
    words: Words = INDONESIAN,
) -> ExportRow:
    """Turn an engine result into an export row, naming jurors and flags for readers.

    ``juror_labels`` decides anonymity ("Juri 1" or a real name); a juror missing from it
    is shown as "Juri <id>". Flags without a label are shown by their key.
    """
    labels = flag_labels or {}
    return ExportRow(
        rank=entry.rank,
        entrant_code=entrant_code,
        entrant_name=entry.name,
        components=dict(entry.components),
        total=entry.total,
        band=entry.band,
        award=award,
        special_awards=list(special_awards),
        jurors_counted=entry.jurors_counted,
        advanced=entry.advanced,
        flags=tuple(labels.get(flag, flag) for flag in entry.flags),
        criterion_means=dict(criterion_means or {}),
        juror_scores={juror_labels.get(j) or words("Juri %(n)s", n=j): score
                      for j, score in entry.juror_scores.items()},
    )


@dataclass(frozen=True)
class _Column:
    header: str
    score: bool = False  # written with the two-decimal score format


@dataclass
class _Table:
    title: str
    heading: str
    subheading: str
    columns: list[_Column]
    rows: Sequence[Sequence[Any]]


class _StreamSheet(WriteOnlyWorksheet):
    """Write-only sheet that takes prepared cells as they are.

    openpyxl's own row builder first tries each value as a plain value and only falls
    back to a given cell after a ``ValueError`` (whose message ``repr``s the cell); with
    a styled cell in most columns that retry cost a third of the export time.
    """

    def _values_to_row(self, values, row_idx):
        plain = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                plain.value = value
                cell = plain
            cell.column = col_idx
            cell.row = row_idx
            yield cell


class _Styles:
    """Named styles registered once per workbook, kept as shareable style arrays."""

    def __init__(self, wb: Workbook, ws) -> None:
        thin = Side(style="thin", color="9AA5B1")
        named = [
            NamedStyle("Juara Judul", font=Font(bold=True, size=14)),
            NamedStyle("Juara Keterangan", font=Font(italic=True, color="52606D")),
            NamedStyle(
                "Juara Kepala Kolom",
                font=Font(bold=True, color="FFFFFF"),
                fill=PatternFill("solid", fgColor="1F4E79"),
                border=Border(bottom=thin, top=thin, left=thin, right=thin),
                alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
            ),
            NamedStyle("Juara Nilai", number_format=SCORE_FORMAT),
        ]
        arrays = []
        for style in named:
            wb.add_named_style(style)
            proto = WriteOnlyCell(ws)
            proto.style = style.name
            arrays.append(proto._style)
        self.title, self.note, self.header, self.score = arrays


def write_ranking_workbook(
    comp: ExportCompetition,
    *,
    include_jurors: bool,
    extra_sheets: Iterable[tuple[str, list[str], list[list]]] = (),
    progress: Progress | None = None,
) -> bytes:
    """Build the competition's ranking workbook and return it as ``.xlsx`` bytes.

    ``include_jurors`` adds the per-juror sheet (organizers only). ``extra_sheets`` are
    ``(title, headers, rows)`` from the plugins' export hook. ``progress(done, total)`` is
    called after each sheet with data rows written so far.
    """
    tables = [_summary_table(comp)]
    tables += [_category_table(comp, cat) for cat in comp.categories]
    tables.append(_criteria_table(comp))
    if include_jurors:
        tables.append(_jurors_table(comp))
    for title, headers, rows in extra_sheets:
        columns = [_Column(h) for h in headers]
        tables.append(_Table(title, title, _competition_line(comp), columns, rows))

    wb = Workbook(write_only=True)
    _set_properties(wb, comp)
    total, done, used, styles = sum(len(t.rows) for t in tables), 0, set(), None
    for table in tables:
        ws = _StreamSheet(parent=wb, title=sheet_title(table.title, used))
        wb._add_sheet(ws)
        styles = styles or _Styles(wb, ws)
        _write_table(ws, table, styles)
        done += len(table.rows)
        if progress is not None:
            progress(done, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _set_properties(wb: Workbook, comp: ExportCompetition) -> None:
    created = comp.generated_at
    if created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    props = wb.properties
    props.title = as_text(comp.words("Hasil Penilaian %(name)s %(year)s", name=comp.name,
                                     year=comp.year))
    props.subject = as_text(comp.organiser)
    props.creator = "Juara"
    props.lastModifiedBy = "Juara"
    props.created = created
    props.language = "en" if comp.words.lang == "en" else "id-ID"


def _competition_line(comp: ExportCompetition) -> str:
    from babel.dates import format_datetime

    pattern = "d MMMM y HH.mm" if comp.words.lang == "id" else "d MMMM y HH:mm"
    stamp = format_datetime(comp.generated_at, pattern, tzinfo=comp.generated_at.tzinfo,
                            locale=comp.words.lang)
    zone = comp.generated_at.tzname() or ""
    made = comp.words("dibuat %(moment)s", moment=f"{stamp} {zone}".strip())
    return f"{comp.name} {comp.year} · {comp.organiser} · {made}"


def _summary_table(comp: ExportCompetition) -> _Table:
    w = comp.words
    columns = [
        _Column(w("Kategori")),
        _Column(w("Jenjang")),
        _Column(w("Penghargaan")),
        _Column(w("Peringkat")),
        _Column(w("Kode")),
        _Column(w("Peserta")),
        _Column(w("Nilai Akhir"), score=True),
        _Column(w("Predikat")),
    ]
    rows = []
    for cat in comp.categories:
        for r in cat.rows:
            for award in ([r.award] if r.award else []) + list(r.special_awards):
                rows.append(
                    [cat.name, cat.level, award, r.rank, r.entrant_code, r.entrant_name,
                     r.total, r.band]
                )
    heading = w("Ringkasan Pemenang %(name)s %(year)s", name=comp.name, year=comp.year)
    return _Table(w("Ringkasan"), heading, _competition_line(comp), columns, rows)


def _weight_shares(components: list[Component]) -> list[float]:
    total = sum(c.weight for c in components)
    return [c.weight * 100 / total if total else 0.0 for c in components]


def _category_table(comp: ExportCompetition, cat: ExportCategory) -> _Table:
    w = comp.words
    shares = _weight_shares(cat.components)
    columns = [_Column(w("Peringkat")), _Column(w("Kode")), _Column(w("Nama Peserta"))]
    columns += [
        _Column(f"{c.label} ({share:.4g}%)", score=True)
        for c, share in zip(cat.components, shares, strict=True)
    ]
    columns += [
        _Column(w("Nilai Akhir"), score=True),
        _Column(w("Predikat")),
        _Column(w("Penghargaan")),
        _Column(w("Penghargaan Khusus")),
        _Column(w("Jumlah Juri")),
        _Column(w("Lolos Tahap")),
        _Column(w("Catatan")),
    ]
    yes, no = w("Ya"), w("Tidak")
    keys = [c.key for c in cat.components]
    rows = [
        [r.rank, r.entrant_code, r.entrant_name]
        + [r.components.get(k) for k in keys]
        + [r.total, r.band, r.award, ", ".join(r.special_awards) or None, r.jurors_counted,
           yes if r.advanced else no, ", ".join(r.flags) or None]
        for r in cat.rows
    ]
    sub = w("Metode: %(method)s · Jenjang: %(level)s", method=cat.method_label, level=cat.level)
    sub += f" · {_competition_line(comp)}"
    if cat.override_note:
        sub += f" · {cat.override_note}"
    return _Table(cat.name, w("Peringkat %(name)s", name=cat.name), sub, columns, rows)


def _union(keyed: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Column identities in order of first appearance, with their headers."""
    out: dict[Any, str] = {}
    for key, header in keyed:
        out.setdefault(key, header)
    return out


def _entry_prefix(cat: ExportCategory, r: ExportRow) -> list[Any]:
    return [cat.name, r.rank, r.entrant_code, r.entrant_name]


def _entry_columns(w: Words) -> list[_Column]:
    return [_Column(w("Kategori")), _Column(w("Peringkat")), _Column(w("Kode")),
            _Column(w("Nama Peserta"))]


def _criteria_table(comp: ExportCompetition) -> _Table:
    """Mean mark per criterion per entry; categories with other rubrics leave cells empty."""
    union = _union(
        ((c.key, c.label, c.max_mark), f"{c.label} (0–{c.max_mark:g})")
        for cat in comp.categories for c in cat.criteria
    )
    columns = _entry_columns(comp.words) + [_Column(h, score=True) for h in union.values()]
    rows = []
    for cat in comp.categories:
        slots = [None] * len(union)
        index = {c.key: list(union).index((c.key, c.label, c.max_mark)) for c in cat.criteria}
        for r in cat.rows:
            values = list(slots)
            for key, mean in r.criterion_means.items():
                if key in index:
                    values[index[key]] = mean
            rows.append(_entry_prefix(cat, r) + values)
    heading = comp.words("Rata-rata Nilai Juri per Kriteria")
    return _Table(comp.words("Per Kriteria"), heading, _competition_line(comp), columns, rows)


def _jurors_table(comp: ExportCompetition) -> _Table:
    """Each juror's jury score per entry, one column per juror label."""
    labels = list(_union((j, j) for cat in comp.categories for r in cat.rows
                         for j in r.juror_scores))
    index = {label: i for i, label in enumerate(labels)}
    columns = _entry_columns(comp.words) + [_Column(comp.words("Jumlah Juri"))]
    columns += [_Column(label, score=True) for label in labels]
    rows = []
    for cat in comp.categories:
        for r in cat.rows:
            values: list[Any] = [None] * len(labels)
            for label, score in r.juror_scores.items():
                values[index[label]] = score
            rows.append(_entry_prefix(cat, r) + [r.jurors_counted] + values)
    heading = comp.words("Nilai per Juri")
    return _Table(comp.words("Per Juri"), heading, _competition_line(comp), columns, rows)


def _column_widths(table: _Table) -> list[float]:
    widths = []
    for i, col in enumerate(table.columns):
        longest = max((len(w) for w in col.header.split()), default=4)
        longest = max(longest, min(len(col.header), 18))
        for row in table.rows[:_WIDTH_SAMPLE]:
            value = row[i] if i < len(row) else None
            if isinstance(value, float | Decimal):
                longest = max(longest, 8)
            elif value is not None:
                longest = max(longest, len(str(value)))
        widths.append(min(max(longest + 2, 6), 60))
    return widths


def _prepare_sheet(ws, table: _Table) -> None:
    """Layout that write-only mode needs before the first row: widths, panes, print."""
    for i, width in enumerate(_column_widths(table), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True


def _write_table(ws, table: _Table, styles: _Styles) -> None:
    _prepare_sheet(ws, table)
    ws.append([styled_cell(ws, table.heading, styles.title)])
    ws.append([styled_cell(ws, table.subheading, styles.note)])
    ws.append([])
    ws.append([styled_cell(ws, c.header, styles.header) for c in table.columns])
    scored = [c.score for c in table.columns]
    score = styles.score
    for row in table.rows:
        out = []
        for value, is_score in zip(row, scored, strict=False):
            if isinstance(value, float | Decimal) or (is_score and type(value) is int):
                cell = Cell(ws)
                cell._value = value  # a number: skip type inference, data_type is "n"
                cell._style = score
                out.append(cell)
            else:
                out.append(safe_cell(value, ws))
        ws.append(out)
    last_row = HEADER_ROW + len(table.rows)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(table.columns))}{last_row}"
