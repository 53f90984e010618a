"""The fill-in template: what the organizer hands out, and that the reader reads it back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from judging.io.monev.reader import MonevRow, preview_monev
from judging.io.monev.template import FIRST_DATA_ROW, HEADER_ROW, write_monev_template
from tests.workbooks import ENTRANTS, INDICATORS, validate_row

TITLE = "Monev Pengaduan 2024 — Kelurahan"


@pytest.fixture(scope="module")
def template() -> bytes:
    entrants = [*ENTRANTS, ("KEL-005", "=HYPERLINK(\"http://x\")")]
    return write_monev_template(title=TITLE, indicators=INDICATORS, entrants=entrants)


@pytest.fixture(scope="module")
def sheet(template):
    return openpyxl.load_workbook(io.BytesIO(template)).active


def test_layout_title_header_guidance_and_entrants(sheet):
    assert sheet["A1"].value == TITLE
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "Kode", "Nama", "Laporan masuk", "Selesai", "Tindak lanjut (%)", "Nilai SAQ",
    ]
    guidance = [c.value for c in sheet[HEADER_ROW + 1]]
    assert guidance[2] == "bilangan bulat, minimal 0, wajib"
    assert guidance[4] == "persen (0–100), 0–100, boleh kosong"
    rows = list(sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=2, values_only=True))
    assert rows[:4] == ENTRANTS
    assert sheet.freeze_panes == "C5"
    assert sheet.column_dimensions["B"].width >= 20
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}


def test_formula_like_names_are_written_as_text(sheet):
    cell = sheet.cell(row=FIRST_DATA_ROW + 4, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_numeric_columns_carry_data_validation(sheet):
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    last = FIRST_DATA_ROW + len(ENTRANTS) + 1 + 20
    masuk = rules[f"C{FIRST_DATA_ROW}:C{last}"]
    assert (masuk.type, masuk.operator, masuk.formula1) == ("whole", "greaterThanOrEqual", "0")
    saq = rules[f"F{FIRST_DATA_ROW}:F{last}"]
    assert (saq.type, saq.operator, saq.formula1, saq.formula2) == ("decimal", "between", "0",
                                                                     "100")
    assert saq.showErrorMessage and "Nilai SAQ" in saq.error


def test_empty_template_reads_back_with_every_entrant_missing(template):
    result = preview_monev(template, indicators=INDICATORS, entrants=ENTRANTS)
    assert result.header_row == HEADER_ROW
    assert result.rows == [] and result.rejected == []
    assert result.missing_entrants == [code for code, _ in ENTRANTS]
    assert result.extra_columns == []
    assert result.skipped_rows[0] == HEADER_ROW + 1  # the guidance row


def test_filled_template_reads_back_exactly(template):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.active
    filled = {FIRST_DATA_ROW: (100, 80, 87.5, 91.25), FIRST_DATA_ROW + 1: (5, 9, None, None),
              FIRST_DATA_ROW + 2: (7, 7, 0, 100)}
    for row, numbers in filled.items():
        for col, number in enumerate(numbers, start=3):
            sheet.cell(row=row, column=col, value=number)
    out = io.BytesIO()
    book.save(out)
    result = preview_monev(out.getvalue(), indicators=INDICATORS, entrants=ENTRANTS,
                           validate_row=validate_row)
    assert result.rows == [
        MonevRow(5, "KEL-001", {"masuk": 100, "selesai": 80, "tindak_lanjut": 87.5, "saq": 91.25}),
        MonevRow(7, "KEL-003", {"masuk": 7, "selesai": 7, "tindak_lanjut": 0, "saq": 100}),
    ]
    assert [p.message_id for p in result.rejected] == [
        "Baris 6, kolom 'Selesai': 9 lebih besar dari 'Laporan masuk' (5)"
    ]
    assert result.missing_entrants == ["DS-004"]
