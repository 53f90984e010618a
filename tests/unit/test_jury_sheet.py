"""Offline jury workbook: written for one juror, edited like a juror would, read back."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from judging.io.xlsx.jury_sheet import (
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    JurySheetCategory,
    JurySheetEntry,
    read_jury_sheet,
    write_jury_sheet,
)
from judging.scoring.types import Criterion

CRITERIA = [
    Criterion("informatif", "Informatif", 0.5, 100, guidance="Isi informasi akurat"),
    Criterion("kreatif", "Kreativitas", 0.3, 7.5),
    Criterion("etika", "Etika", 0.2, 10),
]
OTHER = [Criterion("inovasi", "Inovasi", 1.0, 100)]


def _categories():
    kota = JurySheetCategory(7, "Kota/Kabupaten", CRITERIA, [
        JurySheetEntry("KT-01", "Kota Bandung", {"informatif": 80, "kreatif": 6.5, "etika": 9},
                       "=HYPERLINK(\"http://x\",\"y\")"),
        JurySheetEntry("KT-02", "Kabupaten Garut", {"informatif": None}),
        JurySheetEntry("KT-03", "@Kota Bogor", {}),
    ])
    desa = JurySheetCategory(9, "Desa", OTHER, [JurySheetEntry("DS-01", "Desa Cikole", {})])
    return [kota, desa]


def _assignments(changes=None):
    base = {7: (CRITERIA, {"KT-01", "KT-02", "KT-03"}), 9: (OTHER, {"DS-01"})}
    return base | (changes or {})


@pytest.fixture
def sheet_bytes() -> bytes:
    return write_jury_sheet(juror_name="Dr. Siti", competition_name="Piala Humas 2025",
                            categories=_categories())


def _edit(data: bytes, change) -> bytes:
    """Open, change and save the workbook as a juror's spreadsheet program would."""
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _messages(result):
    return [(p.sheet, p.row_number, p.column) for p in result.problems]


def test_round_trip_returns_prefilled_marks(sheet_bytes):
    result = read_jury_sheet(sheet_bytes, categories=_assignments())
    assert result.problems == []
    by_code = {r.entry_code: r for r in result.rows}
    assert set(by_code) == {"KT-01", "KT-02", "KT-03", "DS-01"}
    first = by_code["KT-01"]
    assert first.marks == {"informatif": 80, "kreatif": 6.5, "etika": 9}
    assert first.comment == '=HYPERLINK("http://x","y")'
    assert (first.category_id, first.row_number, first.sheet) == (7, FIRST_ROW, "Kota Kabupaten")
    assert by_code["KT-02"].marks == {"informatif": None, "kreatif": None, "etika": None}
    assert by_code["DS-01"].category_id == 9 and by_code["DS-01"].sheet == "Desa"


def test_written_workbook_layout(sheet_bytes):
    wb = load_workbook(io.BytesIO(sheet_bytes))
    assert wb.sheetnames == ["Kota Kabupaten", "Desa", META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    ws = wb["Kota Kabupaten"]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers == ["Kode Peserta", "Nama Peserta", "Informatif (0–100)",
                       "Kreativitas (0–7,5)", "Etika (0–10)", "Catatan"]
    assert ws.cell(FIRST_ROW, 4).value == 6.5 and ws.cell(FIRST_ROW, 4).data_type == "n"
    assert ws.cell(FIRST_ROW, 6).data_type == "s"  # the formula-like comment stays text
    assert ws.cell(FIRST_ROW + 2, 2).value == "@Kota Bogor"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
             for dv in ws.data_validations.dataValidation}
    assert rules == {
        f"C{FIRST_ROW}:C{FIRST_ROW + 2}": ("decimal", "between", "0", "100"),
        f"D{FIRST_ROW}:D{FIRST_ROW + 2}": ("decimal", "between", "0", "7.5"),
        f"E{FIRST_ROW}:E{FIRST_ROW + 2}": ("decimal", "between", "0", "10"),
    }
    assert ws.protection.sheet
    assert ws.cell(FIRST_ROW, 3).protection.locked is False
    assert ws.cell(FIRST_ROW, 6).protection.locked is False
    assert ws.cell(FIRST_ROW, 1).protection.locked is True
    assert ws.cell(HEADER_ROW, 3).protection.locked is True
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert wb.security.lockStructure


def test_juror_edits_are_read(sheet_bytes):
    def fill(wb):
        ws = wb["Kota Kabupaten"]
        ws.cell(FIRST_ROW + 1, 3).value = "87,5"  # typed as text, Indonesian decimal comma
        ws.cell(FIRST_ROW + 1, 4).value = 7.5
        ws.cell(FIRST_ROW + 1, 6).value = "  Bagus sekali  "
        ws.cell(FIRST_ROW, 3).value = None
    result = read_jury_sheet(_edit(sheet_bytes, fill), categories=_assignments())
    assert result.problems == []
    rows = {r.entry_code: r for r in result.rows}
    assert rows["KT-02"].marks == {"informatif": 87.5, "kreatif": 7.5, "etika": None}
    assert rows["KT-02"].comment == "Bagus sekali"
    assert rows["KT-01"].marks["informatif"] is None


def test_bad_rows_are_refused_one_by_one(sheet_bytes):
    def spoil(wb):
        ws = wb["Kota Kabupaten"]
        ws.cell(FIRST_ROW, 3).value = 120  # out of range
        ws.cell(FIRST_ROW, 5).value = -1  # out of range too, same row
        ws.cell(FIRST_ROW + 1, 4).value = "bagus"  # not a number
        ws.cell(FIRST_ROW + 2, 1).value = "KT-99"  # unknown code
        ws.cell(FIRST_ROW + 3, 1).value = None  # marks without a code
        ws.cell(FIRST_ROW + 3, 3).value = 50
        ws.cell(FIRST_ROW + 5, 2).value = "nama saja"  # a name alone is not a row
    result = read_jury_sheet(_edit(sheet_bytes, spoil), categories=_assignments())
    sheet = "Kota Kabupaten"
    assert _messages(result) == [
        (sheet, FIRST_ROW, "C"), (sheet, FIRST_ROW, "E"), (sheet, FIRST_ROW + 1, "D"),
        (sheet, FIRST_ROW + 2, "A"), (sheet, FIRST_ROW + 3, "A"),
    ]
    texts = [p.message_id for p in result.problems]
    assert "120 di luar rentang 0–100" in texts[0]
    assert "-1 di luar rentang 0–10" in texts[1]
    assert "'bagus' bukan angka" in texts[2]
    assert "'KT-99' tidak dikenal" in texts[3]
    assert "kosong" in texts[4]
    assert all(p.message_en for p in result.problems)
    assert [r.entry_code for r in result.rows] == ["DS-01"]


def test_entry_not_assigned_to_juror_is_refused(sheet_bytes):
    assigned = _assignments({7: (CRITERIA, {"KT-01", "KT-03"})})  # KT-02 declared a conflict
    result = read_jury_sheet(sheet_bytes, categories=assigned)
    assert _messages(result) == [("Kota Kabupaten", FIRST_ROW + 1, "A")]
    assert "KT-02" in result.problems[0].message_id
    assert {r.entry_code for r in result.rows} == {"KT-01", "KT-03", "DS-01"}


def test_duplicate_codes_refuse_every_copy(sheet_bytes):
    def duplicate(wb):
        wb["Kota Kabupaten"].cell(FIRST_ROW + 2, 1).value = "KT-01"
    result = read_jury_sheet(_edit(sheet_bytes, duplicate), categories=_assignments())
    assert _messages(result) == [("Kota Kabupaten", FIRST_ROW, "A"),
                                 ("Kota Kabupaten", FIRST_ROW + 2, "A")]
    assert {r.entry_code for r in result.rows} == {"KT-02", "DS-01"}


@pytest.mark.parametrize("change", ["rename", "swap", "delete", "insert"])
def test_changed_header_refuses_the_whole_sheet(sheet_bytes, change):
    def edit(wb):
        ws = wb["Kota Kabupaten"]
        if change == "rename":
            ws.cell(HEADER_ROW, 4).value = "Kreatif (0–10)"
        elif change == "swap":
            a, b = ws.cell(HEADER_ROW, 3), ws.cell(HEADER_ROW, 5)
            a.value, b.value = b.value, a.value
        elif change == "delete":
            ws.delete_cols(4)
        else:
            ws.insert_cols(3)
    result = read_jury_sheet(_edit(sheet_bytes, edit), categories=_assignments())
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.sheet, problem.row_number) == ("Kota Kabupaten", HEADER_ROW)
    assert "Judul kolom" in problem.message_id and "header" in problem.message_en
    assert [r.entry_code for r in result.rows] == ["DS-01"]  # the other sheet still counts


def test_rubric_changed_since_download_refuses_the_sheet(sheet_bytes):
    newer = [*CRITERIA, Criterion("dampak", "Dampak", 0.1, 10)]
    result = read_jury_sheet(sheet_bytes, categories=_assignments({7: (newer, {"KT-01"})}))
    assert _messages(result) == [("Kota Kabupaten", None, None)]
    assert "berubah" in result.problems[0].message_id


def test_category_no_longer_assigned_refuses_its_sheet(sheet_bytes):
    result = read_jury_sheet(sheet_bytes, categories={9: (OTHER, {"DS-01"})})
    assert _messages(result) == [("Kota Kabupaten", None, None)]
    assert [r.entry_code for r in result.rows] == ["DS-01"]


def test_renamed_sheet_is_reported(sheet_bytes):
    def rename(wb):
        wb["Desa"].title = "Desaku"
    result = read_jury_sheet(_edit(sheet_bytes, rename), categories=_assignments())
    assert _messages(result) == [("Desa", None, None)]
    assert "tidak ditemukan" in result.problems[0].message_id


def test_workbook_without_marker_is_refused():
    wb = Workbook()
    wb.active.append(["Kode Peserta", "Nama"])
    out = io.BytesIO()
    wb.save(out)
    result = read_jury_sheet(out.getvalue(), categories=_assignments())
    assert result.rows == [] and _messages(result) == [("", None, None)]
    assert "bukan lembar penilaian" in result.problems[0].message_id


@pytest.mark.parametrize("data", [b"", b"Kode;Nilai\nKT-01;80\n", b"PK\x03\x04rusak" * 10])
def test_unreadable_files_are_refused_not_raised(data):
    result = read_jury_sheet(data, categories=_assignments())
    assert result.rows == [] and _messages(result) == [("", None, None)]
    assert result.problems[0].message_id and result.problems[0].message_en


def test_empty_category_still_validates():
    data = write_jury_sheet(juror_name="J", competition_name="K", categories=[
        JurySheetCategory(1, "Kosong", OTHER, [])])
    ws = load_workbook(io.BytesIO(data))["Kosong"]
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == [
        f"C{FIRST_ROW}"]
    assert read_jury_sheet(data, categories={1: (OTHER, set())}).problems == []
