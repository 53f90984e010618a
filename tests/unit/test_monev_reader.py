"""Real-looking monev workbooks import; bad rows are rejected with their row and reason."""

from __future__ import annotations

from datetime import date

import pytest

from judging.io.monev.reader import MonevRow, RowProblem, Suggestion, preview_monev
from judging.io.xlsx.safety import WorkbookRefused
from tests import workbooks as wb
from tests.workbooks import ENTRANTS, INDICATORS, monev_rows, openpyxl_workbook


def preview(data: bytes, **kwargs):
    kwargs.setdefault("indicators", INDICATORS)
    kwargs.setdefault("entrants", ENTRANTS)
    return preview_monev(data, **kwargs)


def values(masuk, selesai, tindak_lanjut=None, saq=None) -> dict:
    return {"masuk": masuk, "selesai": selesai, "tindak_lanjut": tindak_lanjut, "saq": saq}


def messages_en(result) -> list[str]:
    return [p.message_en for p in result.rejected]


GOOD = [
    ["KEL-001", "Kelurahan Lebak Siliwangi", 100, 80, 87.5, 90],
    ["KEL-002", "Kelurahan Dago", "1.234", "1.000", "12%", "87,5"],
]


def test_title_rows_and_merged_cells_above_a_header_on_row_12():
    data = openpyxl_workbook(monev_rows(GOOD, title_rows=11), merges=["A1:G1", "A5:C7"])
    result = preview(data)
    assert (result.kind, result.sheet, result.header_row) == ("xlsx", "Data", 12)
    assert result.rows == [
        MonevRow(13, "KEL-001", values(100, 80, 87.5, 90)),
        MonevRow(14, "KEL-002", values(1234, 1000, 12, 87.5)),
    ]
    assert result.rejected == [] and result.suggestions == []
    assert result.missing_entrants == ["KEL-003", "DS-004"]
    assert result.extra_columns == ["No"]
    assert result.rows_read == 2


def test_header_below_row_20_is_not_found():
    with pytest.raises(WorkbookRefused) as caught:
        preview(openpyxl_workbook(monev_rows(GOOD, title_rows=20)))
    assert caught.value.message_en.startswith("No sheet has a recognisable header row")
    assert "'Laporan masuk'" in caught.value.message_id


def test_headers_in_other_case_spacing_punctuation_and_aliases():
    header = ["NO.", "KODE", "NAMA KELURAHAN", "JUMLAH LAPORAN  MASUK", "laporan selesai",
              "Tindak Lanjut (%)", "NILAI S.A.Q."]
    result = preview(openpyxl_workbook(monev_rows(GOOD, header=header)))
    assert result.columns == {
        "masuk": "JUMLAH LAPORAN MASUK", "selesai": "laporan selesai",
        "tindak_lanjut": "Tindak Lanjut (%)", "saq": "NILAI S.A.Q.",
    }
    assert [r.entrant_code for r in result.rows] == ["KEL-001", "KEL-002"]


def test_entrants_by_exact_normalised_name_and_suggestions_for_near_misses():
    header = ["No", "Nama Kelurahan", "Laporan masuk", "Selesai"]
    rows = [["kelurahan  DAGO", 10, 5], ["Kel. Lebak Siliwangi", 20, 10],
            ["Kelurahan Cipaganty", 30, 3], ["Kelurahan Antah Berantah", 1, 1]]
    result = preview(openpyxl_workbook(monev_rows(rows, header=header)))
    assert result.rows == [MonevRow(3, "KEL-002", {"masuk": 10, "selesai": 5})]
    assert result.suggestions == [
        Suggestion(4, "Kel. Lebak Siliwangi", "KEL-001", "Kelurahan Lebak Siliwangi"),
        Suggestion(5, "Kelurahan Cipaganty", "KEL-003", "Kelurahan Cipaganti"),
    ]
    assert result.rejected[0] == RowProblem(
        4, "Nama Kelurahan",
        "Baris 4, kolom 'Nama Kelurahan': 'Kel. Lebak Siliwangi' tidak ditemukan; mungkin "
        "maksudnya 'Kelurahan Lebak Siliwangi' (KEL-001)? Perbaiki nama atau isi kolom Kode",
        "Row 4, column 'Nama Kelurahan': 'Kel. Lebak Siliwangi' was not found; did you mean "
        "'Kelurahan Lebak Siliwangi' (KEL-001)? Correct the name or fill in the Kode column",
    )
    assert messages_en(result)[2] == ("Row 6, column 'Nama Kelurahan': entrant 'Kelurahan "
                                      "Antah Berantah' is not enrolled in this category")
    assert result.missing_entrants == ["KEL-001", "KEL-003", "DS-004"]


def test_numeric_codes_unknown_codes_and_ambiguous_names():
    entrants = [("101", "Kelurahan Sukajadi"), ("102", "Kelurahan Sukajadi"), ("103", "Desa A")]
    rows = [[101, "Kelurahan Sukajadi", 4, 2], ["KEL-999", "Desa A", 4, 2],
            [None, "Kelurahan Sukajadi", 4, 2]]
    header = ["No", "Kode", "Nama", "Laporan masuk", "Selesai"]
    result = preview(openpyxl_workbook(monev_rows(rows, header=header)), entrants=entrants)
    assert result.rows == [MonevRow(3, "101", {"masuk": 4, "selesai": 2})]
    assert messages_en(result) == [
        "Row 4, column 'Kode': code 'KEL-999' is not enrolled in this category",
        "Row 5, column 'Nama': name 'Kelurahan Sukajadi' matches 2 entrants; fill in the "
        "Kode column",
    ]
    assert result.suggestions == [Suggestion(4, "Desa A", "103", "Desa A")]
    assert result.suggestions[0].code == "103"


def test_percent_fractions_formatted_as_percent_and_typed_as_fractions():
    formatted = openpyxl_workbook(
        monev_rows([["KEL-001", "a", 1, 1, 0.875], ["KEL-002", "b", 1, 1, 92],
                    ["KEL-003", "c", 1, 1, "90%"]]),
        formats={"F3": "0.0%"},
    )
    assert [r.values["tindak_lanjut"] for r in preview(formatted).rows] == [87.5, 92, 90]
    typed = openpyxl_workbook(monev_rows([["KEL-001", "a", 1, 1, 0.87], ["KEL-002", "b", 1, 1, 1],
                                          ["KEL-003", "c", 1, 1, "0,5"]]))
    assert [r.values["tindak_lanjut"] for r in preview(typed).rows] == [87, 100, 50]
    as_text = openpyxl_workbook(monev_rows([["KEL-001", "a", 1, 1, "0,87"],
                                            ["KEL-002", "b", 1, 1, "0,5"]]))
    assert [r.values["tindak_lanjut"] for r in preview(as_text).rows] == [87, 50]
    mixed = openpyxl_workbook(monev_rows([["KEL-001", "a", 1, 1, 87], ["KEL-002", "b", 1, 1, 0.5],
                                          ["KEL-003", "c", 1, 1, 100]]))
    assert [r.values["tindak_lanjut"] for r in preview(mixed).rows] == [87, 0.5, 100]
    assert [q.key for q in preview(mixed).scale_questions] == ["tindak_lanjut"]


def test_formulas_read_by_cached_value_and_rejected_without_one():
    rows = monev_rows([["KEL-001", "a", 10, ("=D3-2", 8)], ["KEL-002", "b", 10, ("=D4-2", None)]])
    result = preview(wb.raw_xlsx(rows))
    assert result.rows == [MonevRow(3, "KEL-001", values(10, 8))]
    assert result.rejected == [RowProblem(
        4, "Selesai",
        "Baris 4, kolom 'Selesai': berisi rumus tanpa hasil tersimpan; buka berkas di Excel, "
        "hitung ulang dan simpan",
        "Row 4, column 'Selesai': holds a formula with no saved result; open the file in "
        "Excel, recalculate and save it",
    )]
    optional = preview(wb.raw_xlsx(monev_rows([["KEL-001", "a", 10, 8, None, ("=1/0", None)]])))
    assert optional.rows == [] and messages_en(optional) == [
        "Row 3, column 'Nilai SAQ': holds a formula with no saved result; open the file in "
        "Excel, recalculate and save it"
    ]
    from_openpyxl = preview(openpyxl_workbook(monev_rows([["KEL-001", "a", 10, "=D3-2"]])))
    assert from_openpyxl.rows == [] and from_openpyxl.rejected[0].column == "Selesai"
    assert "formula with no saved result" in from_openpyxl.rejected[0].message_en


def test_blank_rows_totals_row_at_bottom_and_rows_without_values():
    rows = monev_rows([
        ["KEL-001", "a", 10, 5], [], ["KEL-002", "b", 20, 10], ["KEL-003", "c"], [],
    ]) + [["", "JUMLAH", "", ("=SUM(D3:D7)", 30), 15], [], [None, None, "Rata-rata", 15]]
    result = preview(wb.raw_xlsx(rows))
    assert [(r.row_number, r.entrant_code) for r in result.rows] == [(3, "KEL-001"),
                                                                      (5, "KEL-002")]
    assert result.rejected == []
    assert result.skipped_rows == [6, 8, 10]
    assert result.rows_read == 2
    assert result.missing_entrants == ["KEL-003", "DS-004"]


def test_totals_row_above_data_is_not_skipped():
    rows = monev_rows([["", "Jumlah", 30, 15], ["KEL-001", "a", 10, 5]])
    result = preview(openpyxl_workbook(rows))
    assert messages_en(result) == [
        "Row 3, column 'Nama': entrant 'Jumlah' is not enrolled in this category"
    ]


def test_guidance_and_column_numbering_rows_under_the_header_are_skipped():
    for under in (["", "", "(satuan)", "laporan", "laporan", "persen", "0–100"],
                  ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]):
        rows = monev_rows([["KEL-001", "a", 10, 5]])
        rows.insert(2, under)
        result = preview(openpyxl_workbook(rows))
        assert result.skipped_rows == [3]
        assert result.rows == [MonevRow(4, "KEL-001", values(10, 5))]


def test_extra_columns_are_ignored_and_listed():
    header = ["No", "Kode", "Nama", "Nama Kecamatan", "Keterangan", "Laporan masuk", "Selesai",
              "Catatan Verifikator"]
    rows = [["KEL-001", "a", "Coblong", "ok", 10, 5, "cek ulang"]]
    result = preview(openpyxl_workbook(monev_rows(rows, header=header)))
    assert result.extra_columns == ["No", "Nama Kecamatan", "Keterangan", "Catatan Verifikator"]
    assert result.rows == [MonevRow(3, "KEL-001", {"masuk": 10, "selesai": 5})]


def test_data_on_a_later_sheet_when_the_first_has_no_header():
    data = openpyxl_workbook(
        monev_rows(GOOD),
        title="Rekap",
        sheets_before=[("Petunjuk", [["Petunjuk pengisian"], ["Laporan masuk", "Selesai"]])],
    )
    result = preview(data)
    assert result.sheet == "Rekap"
    assert len(result.rows) == 2


def test_xlsm_is_read_and_its_macros_are_not_run():
    result = preview(wb.as_xlsm(openpyxl_workbook(monev_rows(GOOD))))
    assert result.kind == "xlsm"
    assert [r.entrant_code for r in result.rows] == ["KEL-001", "KEL-002"]


@pytest.mark.parametrize(
    "options",
    [
        {"shared_strings": False, "with_refs": False, "styles": False},
        {"shared_strings": False, "with_refs": True, "styles": False},
        {"shared_strings": True, "with_refs": True, "styles": True},
    ],
    ids=["inline-no-refs-no-styles", "inline-no-styles", "excel-like-shared-strings"],
)
def test_minimal_generators_and_excel_like_files(options):
    result = preview(wb.raw_xlsx(monev_rows(GOOD), **options))
    assert result.rows == [
        MonevRow(3, "KEL-001", values(100, 80, 87.5, 90)),
        MonevRow(4, "KEL-002", values(1234, 1000, 12, 87.5)),
    ]


def test_sheet_over_the_row_limit_is_refused():
    rows = monev_rows([["KEL-001", "a", 1, 1]] * 6)
    with pytest.raises(WorkbookRefused) as caught:
        preview(openpyxl_workbook(rows), max_rows=5)
    assert caught.value.message_en == (
        "The sheet holds 6 data rows, over the limit of 5 data rows.")
    assert preview(openpyxl_workbook(rows[:-1]), max_rows=5).rows_read == 5


def test_row_limit_counts_data_rows_not_the_totals_row():
    rows = monev_rows([["KEL-001", "a", 1, 1]] * 5) + [["", "", "JUMLAH", 5, 5]]
    assert preview(openpyxl_workbook(rows), max_rows=5).skipped_rows == [8]
    big = monev_rows([["KEL-001", "a", 1, 1]] * 1002) + [["", "", "JUMLAH", 5, 5]]
    with pytest.raises(WorkbookRefused) as caught:
        preview(openpyxl_workbook(big), max_rows=1000)
    assert caught.value.message_id == (
        "Lembar berisi 1.002 baris data, melebihi batas 1.000 baris data.")
    assert caught.value.message_en == (
        "The sheet holds 1,002 data rows, over the limit of 1,000 data rows.")


def test_duplicate_entrants_reject_both_rows():
    rows = monev_rows([["KEL-001", "a", 10, 5], ["KEL-002", "b", 4, 4], ["kel-001", "a", 9, 9]])
    result = preview(openpyxl_workbook(rows))
    assert [r.entrant_code for r in result.rows] == ["KEL-002"]
    expected = "entrant KEL-001 (Kelurahan Lebak Siliwangi) appears more than once: rows 3, 5"
    assert messages_en(result) == [f"Row 3, column 'Kode': {expected}",
                                   f"Row 5, column 'Kode': {expected}"]
    assert result.rejected[0].message_id == (
        "Baris 3, kolom 'Kode': peserta KEL-001 (Kelurahan Lebak Siliwangi) muncul lebih dari "
        "sekali: baris 3, 5"
    )
    assert result.rejected_rows == [3, 5]


def test_values_out_of_range_of_wrong_type_or_missing():
    rows = monev_rows([
        ["KEL-001", "a", 10, 5, None, 120],
        ["KEL-002", "b", -5, "2,5"],
        ["KEL-003", "c", "banyak", 1, "87%x"],
        ["DS-004", "d", None, 3],
        [None, None, 1, 1],
        ["KEL-001", "a", date(2024, 5, 12), 1],
    ])
    result = preview(openpyxl_workbook(rows))
    assert result.rows == []
    assert messages_en(result) == [
        "Row 3, column 'Kode': entrant KEL-001 (Kelurahan Lebak Siliwangi) appears more than "
        "once: rows 3, 8",
        "Row 3, column 'Nilai SAQ': 120 is above the maximum 100",
        "Row 4, column 'Laporan masuk': -5 is below the minimum 0",
        "Row 4, column 'Selesai': 2.5 must be a whole number",
        "Row 5, column 'Laporan masuk': 'banyak' is not a number",
        "Row 5, column 'Tindak lanjut (%)': '87%x' is not a number",
        "Row 6, column 'Laporan masuk': is required",
        "Row 7: entrant code and name are empty",
        "Row 8, column 'Kode': entrant KEL-001 (Kelurahan Lebak Siliwangi) appears more than "
        "once: rows 3, 8",
        "Row 8, column 'Laporan masuk': holds a date/time (12/05/2024), not a number; "
        "format the cell as a number",
    ]
    assert result.rejected[1].message_id == "Baris 3, kolom 'Nilai SAQ': 120 lebih besar dari " \
        "batas maksimum 100"
    assert result.rejected[3].message_id == "Baris 4, kolom 'Selesai': 2,5 harus bilangan bulat"


def test_cross_column_rule_from_the_scoring_method():
    rows = monev_rows([["KEL-002", "b", 100, 100], ["KEL-001", "a", 100, 120]])
    rows[3:3] = [[]] * 10  # the bad row lands on row 14
    result = preview(openpyxl_workbook(rows), validate_row=wb.validate_row)
    assert result.rejected == [RowProblem(
        14, "Selesai",
        "Baris 14, kolom 'Selesai': 120 lebih besar dari 'Laporan masuk' (100)",
        "Row 14, column 'Selesai': 120 is greater than 'Laporan masuk' (100)",
    )]
    assert result.rows == [MonevRow(3, "KEL-002", values(100, 100))]


def test_missing_required_column_is_named_and_doubled_column_refuses_the_file():
    header = ["No", "Kode", "Nama", "Laporan masuk", "Nilai SAQ"]
    result = preview(openpyxl_workbook(monev_rows([["KEL-001", "a", 1, 1]], header=header)),
                     validate_row=wb.validate_row)
    assert result.unmapped == ["selesai", "tindak_lanjut"]
    assert result.rejected == [] and result.rows[0].values == {"masuk": 1, "saq": 1}
    header = ["Kode", "Laporan masuk", "Jumlah Laporan Masuk", "Selesai"]
    with pytest.raises(WorkbookRefused) as caught:
        preview(openpyxl_workbook([header, ["KEL-001", 1, 1, 1]]))
    assert caught.value.message_en == (
        "Columns 'Laporan masuk' and 'Jumlah Laporan Masuk' both mean 'Laporan masuk'; keep one."
    )


def test_progress_is_reported_to_the_end():
    calls = []
    rows = monev_rows([[code, name, 3, 2] for code, name in ENTRANTS])
    preview(openpyxl_workbook(rows), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(4, 4)]


def test_calamine_quirks_do_not_leak():
    """Integers come back as floats, never as '' or text; absent optional columns stay out."""
    header = ["Kode", "Laporan masuk", "Selesai"]
    result = preview(openpyxl_workbook([header, ["KEL-001", 7, 0]]))
    assert result.rows == [MonevRow(2, "KEL-001", {"masuk": 7.0, "selesai": 0.0})]
    assert all(type(v) is float for v in result.rows[0].values.values())


def test_workbook_resaved_by_libreoffice():
    """LibreOffice rewrites everything (shared strings, styles) and saves formula results."""
    rows = [["KEL-001", "Kelurahan Lebak Siliwangi", 100, "=D5-20", 0.875, 90], GOOD[1]]
    source = openpyxl_workbook(monev_rows(rows, title_rows=3), merges=["A1:G1"],
                               formats={"F5": "0.0%"})
    assert preview(source).rows[0].row_number == 6  # the formula has no saved result yet
    resaved = wb.libreoffice_resave(source)
    result = preview(resaved)
    assert result.rejected == []
    assert result.rows == [
        MonevRow(5, "KEL-001", values(100, 80, 87.5, 90)),
        MonevRow(6, "KEL-002", values(1234, 1000, 12, 87.5)),
    ]



def test_damaged_sheet_xml_refuses_the_file():
    good = openpyxl_workbook(monev_rows(GOOD))
    broken = wb.replace_member(good, "xl/worksheets/sheet1.xml",
                               '<worksheet xmlns="http://schemas.openxmlformats.org/'
                               'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t=')
    with pytest.raises(WorkbookRefused) as caught:
        preview(broken)
    assert caught.value.message_en == (
        "The workbook's content cannot be read (damaged XML); re-save it from Excel."
    )
