"""The monev workbook an organizer hands out: one row per enrolled entrant, ready to fill.

Layout (the reader reads it back unchanged): row 1 title, row 2 instructions, row 3
header ("Kode", "Nama", then each indicator's Indonesian header), row 4 units and
guidance in words — the reader skips it because it names no entrant and holds no number
— and from row 5 the entrants by code and name. Numeric cells carry data validation
from the indicator's range; panes are frozen below the header, right of the names.
Notes, guidance and the sheet name follow ``words`` (the reader's language); the header
row stays as the importer reads it whatever the language, so a file always comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from judging.io.xlsx.cells import set_safe, sheet_title
from judging.io.xlsx.numbers import format_number
from judging.io.xlsx.words import INDONESIAN, Words

HEADER_ROW = 3
FIRST_DATA_ROW = 5
SPARE_ROWS = 20  # validation also covers a few rows added by hand
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GUIDE_FONT = Font(italic=True, color="595959", size=9)
_KIND_WORDS = {"int": "bilangan bulat", "float": "angka", "percent": "persen (0–100)"}
INSTRUCTION = ("Isi satu baris per peserta. Jangan ubah kolom Kode dan baris judul; tulis angka "
               "tanpa satuan (contoh: 1.234 atau 87,5).")


def write_monev_template(*, title: str, indicators: Sequence, entrants: Sequence[tuple[str, str]],
                         words: Words = INDONESIAN) -> bytes:
    """Build the fill-in workbook for one category as ``.xlsx`` bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(words("Data Monev"), set())
    width = 2 + len(indicators)
    set_safe(sheet, 1, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    set_safe(sheet, 2, 1, words(INSTRUCTION)).font = _GUIDE_FONT
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    headers = ["Kode", "Nama", *(i.header for i in indicators)]
    guides = ["", words("(satuan / petunjuk)"), *(_guide(i, words) for i in indicators)]
    for col, (head, guide) in enumerate(zip(headers, guides, strict=True), start=1):
        cell = set_safe(sheet, HEADER_ROW, col, head)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        guide_cell = set_safe(sheet, HEADER_ROW + 1, col, guide)
        guide_cell.font, guide_cell.alignment = _GUIDE_FONT, Alignment(wrap_text=True)
    for row, (code, name) in enumerate(entrants, start=FIRST_DATA_ROW):
        set_safe(sheet, row, 1, str(code)).number_format = "@"
        set_safe(sheet, row, 2, name)
    last_row = FIRST_DATA_ROW + len(entrants) + SPARE_ROWS
    for col, indicator in enumerate(indicators, start=3):
        _validate(sheet, indicator, get_column_letter(col), last_row, words)
    _layout(sheet, indicators, entrants)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _guide(indicator, words: Words) -> str:
    lang = words.lang
    said = [indicator.unit or words(_KIND_WORDS[indicator.type])]
    low, high = indicator.min, indicator.max
    if low is not None and high is not None:
        said.append(f"{format_number(low, lang)}–{format_number(high, lang)}")
    elif low is not None:
        said.append(words("minimal %(n)s", n=format_number(low, lang)))
    elif high is not None:
        said.append(words("maksimal %(n)s", n=format_number(high, lang)))
    said.append(words("wajib") if indicator.required else words("boleh kosong"))
    text = ", ".join(said)
    return f"{text}. {indicator.guidance}" if indicator.guidance else text


def _validate(sheet, indicator, letter: str, last_row: int, words: Words) -> None:
    low, high = indicator.min, indicator.max
    kind = "whole" if indicator.type == "int" else "decimal"
    if low is not None and high is not None:
        rule = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high))
    elif low is not None:
        rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
    elif high is not None:
        rule = DataValidation(type=kind, operator="lessThanOrEqual", formula1=str(high))
    else:
        rule = DataValidation(type=kind, operator="between", formula1="-1E+300",
                              formula2="1E+300")
    rule.allow_blank = True
    rule.errorTitle = words("Nilai tidak valid")
    rule.error = f"'{indicator.header}': {_guide(indicator, words).split('. ')[0]}."
    rule.showErrorMessage = True
    rule.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    sheet.add_data_validation(rule)


def _layout(sheet, indicators, entrants) -> None:
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3)
    longest_code = max((len(str(code)) for code, _ in entrants), default=4)
    longest_name = max((len(name) for _, name in entrants), default=20)
    sheet.column_dimensions["A"].width = min(max(longest_code, 6) + 2, 20)
    sheet.column_dimensions["B"].width = min(max(longest_name, 20) + 2, 50)
    for col, indicator in enumerate(indicators, start=3):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            max(len(indicator.header), 12) + 2, 30
        )
    sheet.row_dimensions[HEADER_ROW + 1].height = 45
