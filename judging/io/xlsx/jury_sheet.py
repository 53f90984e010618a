"""The offline jury scoring workbook: written for one juror, read back row by row.

Pure: plain dataclasses in and out; the app decides what a read row changes (same
assignment, conflict and phase rules as the online form). A very hidden ``_juara`` sheet
records each scoring sheet's category id and criterion keys, so a workbook whose header
was edited, or whose rubric changed since download, is refused sheet by sheet instead of
putting marks in the wrong criterion. The header row is what the reader checks, so it
stays the same in every language; titles, the instruction and validation messages follow
``words`` (the language of whoever downloaded the file).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from judging.io.xlsx.cells import set_safe, sheet_title
from judging.io.xlsx.numbers import NumberError, format_number, parse_number
from judging.io.xlsx.safety import WorkbookRefused, check_workbook_file
from judging.io.xlsx.words import INDONESIAN, Words
from judging.scoring.types import Criterion

META_SHEET = "_juara"
META_MARK = "juara-lembar-juri"
FORMAT_VERSION = 1
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
CODE_HEADER = "Kode Peserta"
NAME_HEADER = "Nama Peserta"
COMMENT_HEADER = "Catatan"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")
_UNLOCKED = Protection(locked=False)
INSTRUCTION = ("Kategori: %(category)s · Juri: %(juror)s · Isi nilai pada kolom kriteria dan "
               "catatan saja; jangan ubah judul kolom atau kode peserta.")


@dataclass(frozen=True)
class JurySheetEntry:
    """One assigned entry, with the juror's current marks (``None`` = not scored yet)."""

    entry_code: str
    display_name: str
    marks: dict[str, float | None] = field(default_factory=dict)
    comment: str | None = None


@dataclass(frozen=True)
class JurySheetCategory:
    """One category the juror scores: its rubric and the entries assigned to them."""

    category_id: int
    name: str
    criteria: list[Criterion]
    entries: list[JurySheetEntry]


@dataclass(frozen=True)
class JurySheetRow:
    """One accepted row; ``marks`` has every criterion key, ``None`` where left empty."""

    category_id: int
    entry_code: str
    marks: dict[str, float | None]
    comment: str | None
    row_number: int
    sheet: str


@dataclass(frozen=True)
class SheetProblem:
    """Why a row, a sheet (``row_number`` None) or the whole file (``sheet`` "") was refused."""

    sheet: str
    row_number: int | None
    column: str | None
    message_id: str
    message_en: str


@dataclass(frozen=True)
class JurySheetResult:
    """Accepted rows and refusals; a row appears in one list only."""

    rows: list[JurySheetRow]
    problems: list[SheetProblem]


def criterion_header(criterion: Criterion) -> str:
    """The column header a criterion gets, e.g. "Inovasi (0–100)"; the reader checks it."""
    return f"{criterion.label} (0–{format_number(criterion.max_mark, 'id')})"


def expected_headers(criteria: list[Criterion]) -> list[str]:
    """The header row of a category sheet, in column order."""
    return [CODE_HEADER, NAME_HEADER, *map(criterion_header, criteria), COMMENT_HEADER]


# --- writing -----------------------------------------------------------------------------


def write_jury_sheet(
    *, juror_name: str, competition_name: str, categories: list[JurySheetCategory],
    words: Words = INDONESIAN,
) -> bytes:
    """Build the juror's scoring workbook: one protected sheet per category, marks pre-filled.

    Only the mark and comment cells are editable; each mark column carries Excel data
    validation (a decimal from 0 to the criterion's maximum).
    """
    wb = Workbook()
    wb.remove(wb.active)
    used = {META_SHEET}
    titles = []
    for category in categories:
        ws = wb.create_sheet(sheet_title(category.name, used))
        _write_category(ws, category, juror_name, competition_name, words)
        titles.append(ws.title)
    _write_meta(wb.create_sheet(META_SHEET), juror_name, categories, titles)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "Juara"
    wb.properties.title = words("Lembar Penilaian %(name)s", name=competition_name)[:255]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_category(ws, category: JurySheetCategory, juror: str, competition: str,
                    words: Words) -> None:
    criteria = category.criteria
    title = words("Lembar Penilaian Juri — %(name)s", name=competition)
    set_safe(ws, 1, 1, title).font = Font(bold=True, size=13)
    set_safe(ws, 2, 1, words(INSTRUCTION, category=category.name, juror=juror))
    for col, header in enumerate(expected_headers(criteria), 1):
        cell = set_safe(ws, HEADER_ROW, col, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    comment_col = len(criteria) + 3
    for row, entry in enumerate(category.entries, FIRST_ROW):
        set_safe(ws, row, 1, entry.entry_code)
        set_safe(ws, row, 2, entry.display_name)
        for col, criterion in enumerate(criteria, 3):
            _input_cell(ws, row, col, entry.marks.get(criterion.key)).number_format = "0.##"
        _input_cell(ws, row, comment_col, entry.comment).alignment = Alignment(wrap_text=True)
    last = FIRST_ROW + max(len(category.entries), 1) - 1
    for col, criterion in enumerate(criteria, 3):
        ws.add_data_validation(_mark_validation(criterion, get_column_letter(col), last, words))
    _layout(ws, category, comment_col)


def _input_cell(ws, row: int, col: int, value: Any):
    cell = set_safe(ws, row, col, value)
    cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
    return cell


def _mark_validation(criterion: Criterion, letter: str, last_row: int,
                     words: Words) -> DataValidation:
    top = f"{criterion.max_mark:g}"
    shown = format_number(criterion.max_mark, words.lang)
    error = words("Isi angka 0 sampai %(max)s untuk %(criterion)s.", max=shown,
                  criterion=criterion.label)
    validation = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=top, allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle=words("Nilai tidak sah"),
        error=error[:255],
        showInputMessage=bool(criterion.guidance), promptTitle=criterion.label[:32],
        prompt=criterion.guidance[:255] or None,
    )
    validation.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
    return validation


def _layout(ws, category: JurySheetCategory, comment_col: int) -> None:
    names = [len(e.display_name) for e in category.entries[:300]]
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = min(max(names, default=20) + 2, 50)
    for col, criterion in enumerate(category.criteria, 3):
        width = min(max(len(criterion_header(criterion)) * 0.6, 12), 28)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.column_dimensions[get_column_letter(comment_col)].width = 50
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False


def _write_meta(ws, juror: str, categories: list[JurySheetCategory], titles: list[str]) -> None:
    ws.append([META_MARK, FORMAT_VERSION])
    set_safe(ws, 2, 1, "juri")
    set_safe(ws, 2, 2, juror)
    for row, (category, title) in enumerate(zip(categories, titles, strict=True), 3):
        values = ["kategori", category.category_id, title, *(c.key for c in category.criteria)]
        for col, value in enumerate(values, 1):
            set_safe(ws, row, col, value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


# --- reading -----------------------------------------------------------------------------

Assignments = Mapping[Any, tuple[list[Criterion], Collection[str]]]


def read_jury_sheet(data: bytes, *, categories: Assignments) -> JurySheetResult:
    """Read an uploaded scoring workbook; never raises for a bad file, reports it instead.

    ``categories`` maps each category id the juror may score to its current criteria and
    the entry codes they may score there (assigned, no declared conflict). Rows are refused
    one by one; a sheet whose header or rubric changed is refused whole.
    """
    try:
        check_workbook_file(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except WorkbookRefused as refused:
        return JurySheetResult([], [_file_problem(refused.message_id, refused.message_en)])
    except Exception:  # openpyxl raises many kinds on damaged input; all mean "unreadable"
        return JurySheetResult([], [_file_problem(
            "Berkas tidak bisa dibaca sebagai buku kerja Excel; simpan ulang sebagai .xlsx.",
            "The file cannot be read as an Excel workbook; save it again as .xlsx.")])
    try:
        return _read_workbook(wb, categories)
    finally:
        wb.close()


def _file_problem(message_id: str, message_en: str) -> SheetProblem:
    return SheetProblem("", None, None, message_id, message_en)


def _read_workbook(wb, categories: Assignments) -> JurySheetResult:
    meta = _read_meta(wb)
    if meta is None:
        return JurySheetResult([], [_file_problem(
            "Ini bukan lembar penilaian Juara (data pengenal tidak ada atau rusak). "
            "Unduh lembar penilaian dari aplikasi lalu isi berkas itu.",
            "This is not a Juara scoring workbook (its identifying data is missing or damaged). "
            "Download the scoring workbook from the application and fill that file in.")])
    by_text = {str(key): key for key in categories}
    rows: list[JurySheetRow] = []
    problems: list[SheetProblem] = []
    for raw_id, title, keys in meta:
        category_id = by_text.get(str(raw_id))
        if category_id is None:
            problems.append(SheetProblem(
                title, None, None,
                f"Lembar '{title}' berisi kategori yang tidak ditugaskan kepada Anda; "
                "lembar ini tidak dibaca.",
                f"Sheet '{title}' holds a category not assigned to you; it was not read."))
            continue
        criteria, allowed = categories[category_id]
        sheet_rows, sheet_problems = _read_category(wb, title, category_id, keys, criteria,
                                                    allowed)
        rows += sheet_rows
        problems += sheet_problems
    return JurySheetResult(rows, problems)


def _read_meta(wb) -> list[tuple[Any, str, list[str]]] | None:
    if META_SHEET not in wb.sheetnames:
        return None
    lines = [list(r) for r in wb[META_SHEET].iter_rows(values_only=True)]
    if not lines or lines[0][:2] != [META_MARK, FORMAT_VERSION]:
        return None
    meta = []
    for line in lines[2:]:
        if len(line) < 3 or line[0] != "kategori" or not isinstance(line[2], str):
            return None
        meta.append((line[1], line[2], [str(k) for k in line[3:] if k not in (None, "")]))
    return meta


def _read_category(wb, title, category_id, keys, criteria, allowed):
    problem = _sheet_refusal(wb, title, keys, criteria)
    if problem is not None:
        return [], [problem]
    width = len(criteria) + 3
    candidates, problems = [], []
    ws = wb[title]
    for number, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, values_only=True),
                                    FIRST_ROW):
        cells = (list(values) + [None] * width)[:width]
        if _blank([cells[0], *cells[2:]]):  # the name column alone does not make a row
            continue
        row, row_problems = _read_row(cells, number, title, category_id, criteria, allowed)
        problems += row_problems
        if row is not None:
            candidates.append(row)
    counts = Counter(r.entry_code for r in candidates)
    rows = []
    for row in candidates:
        if counts[row.entry_code] > 1:
            problems.append(SheetProblem(
                title, row.row_number, "A",
                f"Kode peserta '{row.entry_code}' muncul lebih dari sekali; "
                "semua baris dengan kode ini tidak dibaca.",
                f"Entry code '{row.entry_code}' appears more than once; "
                "no row with this code was read."))
        else:
            rows.append(row)
    problems.sort(key=lambda p: (p.row_number or 0, p.column or ""))
    return rows, problems


def _sheet_refusal(wb, title, keys, criteria) -> SheetProblem | None:
    """A sheet-wide problem: missing sheet, rubric changed since download, header edited."""
    if title not in wb.sheetnames:
        return SheetProblem(
            title, None, None,
            f"Lembar '{title}' tidak ditemukan; jangan mengganti nama atau menghapus lembar.",
            f"Sheet '{title}' is missing; do not rename or delete sheets.")
    if keys != [c.key for c in criteria]:
        return SheetProblem(
            title, None, None,
            f"Kriteria penilaian lembar '{title}' telah berubah sejak lembar diunduh; "
            "unduh lembar penilaian yang baru.",
            f"The criteria of sheet '{title}' changed after it was downloaded; "
            "download a new scoring workbook.")
    expected = expected_headers(criteria)
    found = next(wb[title].iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW,
                                     values_only=True), ())
    found = (list(found) + [None] * len(expected))[: len(expected)]
    for col, (want, got) in enumerate(zip(expected, found, strict=True), 1):
        got_text = "" if got is None else str(got).strip()
        if got_text != want:
            letter = get_column_letter(col)
            return SheetProblem(
                title, HEADER_ROW, letter,
                f"Judul kolom {letter} diubah (tertulis '{got_text}', seharusnya '{want}'); "
                "lembar ini tidak dibaca. Jangan memindah, mengganti nama, atau menghapus "
                "kolom; unduh ulang lembar penilaian bila perlu.",
                f"The header of column {letter} was changed (found '{got_text}', expected "
                f"'{want}'); this sheet was not read. Do not move, rename or delete columns; "
                "download the scoring workbook again if needed.")
    return None


def _read_row(cells, number, title, category_id, criteria, allowed):
    problems = []
    code = _code_text(cells[0])
    if not code:
        return None, [SheetProblem(title, number, "A", "Kode peserta kosong; baris tidak dibaca.",
                                   "The entry code is empty; the row was not read.")]
    if code not in allowed:
        return None, [SheetProblem(
            title, number, "A",
            f"Kode peserta '{code}' tidak dikenal atau tidak ditugaskan kepada Anda; "
            "baris tidak dibaca.",
            f"Entry code '{code}' is unknown or not assigned to you; the row was not read.")]
    marks = {}
    for col, criterion in enumerate(criteria, 3):
        mark, problem = _read_mark(cells[col - 1], criterion)
        if problem is not None:
            id_text, en_text = problem
            problems.append(SheetProblem(title, number, get_column_letter(col), id_text, en_text))
        marks[criterion.key] = mark
    if problems:
        return None, problems
    comment = cells[-1]
    comment = None if comment is None else (str(comment).strip() or None)
    return JurySheetRow(category_id, code, marks, comment, number, title), []


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _code_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _read_mark(value: Any, criterion: Criterion):
    """The mark as a float (None when empty) and, if refused, the reason in both languages."""
    label, top = criterion.label, criterion.max_mark
    try:
        mark = parse_number(value)
    except NumberError as exc:
        return None, (f"Nilai {label}: {exc.message_id}; baris tidak dibaca.",
                      f"Mark for {label}: {exc.message_en}; the row was not read.")
    if mark is not None and not 0 <= mark <= top:
        return None, (
            f"Nilai {label} {format_number(mark, 'id')} di luar rentang 0–"
            f"{format_number(top, 'id')}; baris tidak dibaca.",
            f"Mark for {label} {format_number(mark, 'en')} is outside 0–"
            f"{format_number(top, 'en')}; the row was not read.")
    return mark, None
