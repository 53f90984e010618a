"""The ranking workbook, reopened with openpyxl: values, formats, layout, safety."""

import io
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from judging.io.xlsx.ranking import (
    HEADER_ROW,
    ExportCategory,
    ExportCompetition,
    ExportRow,
    row_from_ranked,
    write_ranking_workbook,
)
from judging.scoring.types import Component, Criterion, RankedEntry
from tests.workbooks import libreoffice

WIB = timezone(timedelta(hours=7), "WIB")
COMPONENTS = [
    Component("monev", "Monev", "Monitoring", 60),
    Component("jury", "Juri", "Jury", 40, jury=True),
]
CRITERIA_A = [Criterion("inovasi", "Inovasi", 0.5, 100), Criterion("dampak", "Dampak", 0.5, 50)]
CRITERIA_B = [Criterion("inovasi", "Inovasi", 1.0, 100)]


def _row(rank, code, name, monev, jury, total, **kw):
    return ExportRow(
        rank=rank,
        entrant_code=code,
        entrant_name=name,
        components={"monev": Decimal(monev), "jury": Decimal(jury)},
        total=Decimal(total),
        **kw,
    )


def _competition() -> ExportCompetition:
    kota = ExportCategory(
        name="Kota/Kabupaten [Utama]",
        method_label="Keterbukaan Informasi",
        level="kabupaten-kota",
        components=COMPONENTS,
        criteria=CRITERIA_A,
        rows=[
            _row(1, "KT-01", "Kota Bandung", "92.50", "88.00", "90.70", band="Informatif",
                 award="Peringkat Pertama", jurors_counted=3,
                 criterion_means={"inovasi": 90.0, "dampak": 44.5},
                 juror_scores={"Juri 1": 90.0, "Juri 2": 86.0, "Juri 3": 88.0}),
            _row(2, "KT-02", "=HYPERLINK(\"http://x\",\"y\")", "80", "85", "82", band="Cukup",
                 award="Peringkat Kedua", special_awards=["Apresiasi Inovasi"], jurors_counted=2,
                 flags=("Perbedaan penilaian juri",), criterion_means={"inovasi": 70.25},
                 juror_scores={"Juri 1": 80.0, "Juri 2": 90.0}),
            _row(3, "KT-03", "@SUM(A1)", "40", "0", "24", advanced=False,
                 flags=("Tidak lolos", "-2+3")),
        ],
    )
    desa = ExportCategory(
        name="Desa", method_label="Pengaduan", level="desa", components=COMPONENTS,
        criteria=CRITERIA_B,
        rows=[_row(1, "DS-01", "Desa Cikole", "70", "75", "72", award="Peringkat Pertama",
                   jurors_counted=1, criterion_means={"inovasi": 75.0},
                   juror_scores={"Juri 4": 75.0})],
    )
    return ExportCompetition("Piala Humas", 2025, "Diskominfo Jabar", [kota, desa],
                             datetime(2025, 11, 25, 16, 30, tzinfo=WIB))


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    extra = [("+Plugin/Sheet", ["Indikator", "Nilai", "Jumlah"],
              [["=1+1", 12.5, 3], ["Website", Decimal("7.25"), None]])]
    return write_ranking_workbook(_competition(), include_jurors=True, extra_sheets=extra)


@pytest.fixture(scope="module")
def wb(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def _table(ws):
    return [list(r) for r in ws.iter_rows(min_row=HEADER_ROW, values_only=True)]


def test_sheets_in_order_with_safe_titles(wb):
    assert wb.sheetnames == ["Ringkasan", "Kota Kabupaten Utama", "Desa", "Per Kriteria",
                             "Per Juri", "+Plugin Sheet"]


def test_summary_lists_every_award(wb):
    header, *rows = _table(wb["Ringkasan"])
    assert header == ["Kategori", "Jenjang", "Penghargaan", "Peringkat", "Kode", "Peserta",
                      "Nilai Akhir", "Predikat"]
    assert [(r[0], r[2], r[4], r[6]) for r in rows] == [
        ("Kota/Kabupaten [Utama]", "Peringkat Pertama", "KT-01", 90.7),
        ("Kota/Kabupaten [Utama]", "Peringkat Kedua", "KT-02", 82),
        ("Kota/Kabupaten [Utama]", "Apresiasi Inovasi", "KT-02", 82),
        ("Desa", "Peringkat Pertama", "DS-01", 72),
    ]
    assert wb["Ringkasan"]["A1"].value == "Ringkasan Pemenang Piala Humas 2025"


def test_category_sheet_values_and_formats(wb):
    ws = wb["Kota Kabupaten Utama"]
    header, first, second, third = _table(ws)
    assert header == ["Peringkat", "Kode", "Nama Peserta", "Monev (60%)", "Juri (40%)",
                      "Nilai Akhir", "Predikat", "Penghargaan", "Penghargaan Khusus",
                      "Jumlah Juri", "Lolos Tahap", "Catatan"]
    assert first == [1, "KT-01", "Kota Bandung", 92.5, 88, 90.7, "Informatif",
                     "Peringkat Pertama", None, 3, "Ya", None]
    assert second[2] == '=HYPERLINK("http://x","y")'
    assert second[8] == "Apresiasi Inovasi" and second[11] == "Perbedaan penilaian juri"
    assert third[2] == "@SUM(A1)" and third[10] == "Tidak" and third[11] == "Tidak lolos, -2+3"
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=4, max_col=6):
        for cell in row:
            assert cell.data_type == "n" and cell.number_format == "0.00"
    assert ws.cell(HEADER_ROW + 1, 1).data_type == "n"
    header_cell = ws.cell(HEADER_ROW, 1)
    assert header_cell.font.bold and header_cell.fill.fgColor.rgb.endswith("1F4E79")
    assert "Metode: Keterbukaan Informasi" in ws["A2"].value


def test_per_criterion_sheet_unions_rubrics(wb):
    header, *rows = _table(wb["Per Kriteria"])
    assert header == ["Kategori", "Peringkat", "Kode", "Nama Peserta", "Inovasi (0–100)",
                      "Dampak (0–50)"]
    assert rows[0][2:] == ["KT-01", "Kota Bandung", 90, 44.5]
    assert rows[1][4:] == [70.25, None]
    assert rows[2][4:] == [None, None]
    assert rows[3][2:] == ["DS-01", "Desa Cikole", 75, None]


def test_per_juror_sheet(wb):
    header, *rows = _table(wb["Per Juri"])
    assert header[4:] == ["Jumlah Juri", "Juri 1", "Juri 2", "Juri 3", "Juri 4"]
    assert rows[0][4:] == [3, 90, 86, 88, None]
    assert rows[3][4:] == [1, None, None, None, 75]
    assert wb["Per Juri"].cell(HEADER_ROW + 1, 6).number_format == "0.00"


def test_per_juror_sheet_only_for_organizers():
    data = write_ranking_workbook(_competition(), include_jurors=False)
    assert "Per Juri" not in load_workbook(io.BytesIO(data)).sheetnames


def test_plugin_sheet_cells_are_safe(wb):
    ws = wb["+Plugin Sheet"]
    header, first, second = _table(ws)
    assert header == ["Indikator", "Nilai", "Jumlah"]
    assert first == ["=1+1", 12.5, 3] and ws.cell(HEADER_ROW + 1, 1).data_type == "s"
    assert second == ["Website", 7.25, None]
    assert ws.cell(HEADER_ROW + 1, 2).number_format == "0.00"
    assert ws["A1"].value == "+Plugin/Sheet" and ws["A1"].data_type == "s"


def test_no_formula_anywhere(wb, workbook_bytes):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row), ws.title
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 6
        assert all("<f>" not in zf.read(n).decode() for n in sheets)


def test_layout_and_print_setup(wb):
    for ws in wb.worksheets:
        last = ws.max_row
        last_col = ws.cell(HEADER_ROW, ws.max_column).column_letter
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last_col}{last}"
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    ranking = wb["Kota Kabupaten Utama"]
    assert ranking.column_dimensions["C"].width > ranking.column_dimensions["A"].width
    assert ranking.column_dimensions["C"].width >= len('=HYPERLINK("http://x","y")')


def test_document_properties(wb):
    props = wb.properties
    assert props.creator == "Juara"
    assert props.title == "Hasil Penilaian Piala Humas 2025"
    assert props.created == datetime(2025, 11, 25, 9, 30)


def test_progress_reports_every_sheet():
    calls = []
    write_ranking_workbook(_competition(), include_jurors=True,
                           progress=lambda done, total: calls.append((done, total)))
    assert len(calls) == 5
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    # summary 4 award lines, rankings 3 + 1, per criterion 4, per juror 4
    assert calls[-1] == (16, 16)


def test_empty_competition_still_makes_a_workbook():
    comp = ExportCompetition("Kosong", 2025, "KI", [], datetime(2025, 1, 1))
    wb = load_workbook(io.BytesIO(write_ranking_workbook(comp, include_jurors=True)))
    assert wb.sheetnames == ["Ringkasan", "Per Kriteria", "Per Juri"]
    assert wb["Ringkasan"].max_row == HEADER_ROW


def test_row_from_ranked_names_jurors_and_flags():
    ranked = RankedEntry(
        entry_id=5, name="Kota Cimahi", rank=2, total=Decimal("81.25"),
        components={"monev": Decimal("80"), "jury": Decimal("83.13")}, band="Menuju Informatif",
        advanced=True, jurors_counted=2, juror_scores={11: 80.0, 12: 86.25},
        subscores={}, weights={"monev": 60, "jury": 40}, flags=("disagreement", "odd"),
    )
    row = row_from_ranked(ranked, entrant_code="KT-05", juror_labels={11: "Juri 1"},
                          award="Peringkat Kedua", special_awards=["Apresiasi Inovasi"],
                          criterion_means={"inovasi": 82.5},
                          flag_labels={"disagreement": "Perbedaan penilaian juri"})
    assert row == ExportRow(
        rank=2, entrant_code="KT-05", entrant_name="Kota Cimahi",
        components={"monev": Decimal("80"), "jury": Decimal("83.13")}, total=Decimal("81.25"),
        band="Menuju Informatif", award="Peringkat Kedua", special_awards=["Apresiasi Inovasi"],
        jurors_counted=2, advanced=True, flags=("Perbedaan penilaian juri", "odd"),
        criterion_means={"inovasi": 82.5}, juror_scores={"Juri 1": 80.0, "Juri 12": 86.25},
    )


@pytest.mark.parametrize("target", ["pdf", "csv"])
def test_libreoffice_converts_the_workbook(workbook_bytes, tmp_path, target):
    source = tmp_path / "peringkat.xlsx"
    source.write_bytes(workbook_bytes)
    office = libreoffice()
    done = subprocess.run(
        [office, "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / f"peringkat.{target}"
    assert out.exists() and out.stat().st_size > 0
    if target == "csv":
        assert "Ringkasan Pemenang Piala Humas 2025" in out.read_text(errors="replace")
