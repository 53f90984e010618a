"""Formula-safe cells: user text never becomes a formula, numbers stay numbers."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles.cell_style import StyleArray

from judging.io.xlsx.cells import (
    clean_text,
    looks_like_formula,
    safe_cell,
    set_safe,
    sheet_title,
    styled_cell,
)

# Zero-width space, BOM, word joiner, left-to-right mark, soft hyphen, Hangul filler.
INVISIBLE_PREFIXED = [f"{p}=1+1" for p in ("\u200b", "\ufeff", "\u2060", "\u200e", "\u00ad",
                                          "\u3164")] + ["\u200b \u200d+1", "\u00ad@SUM(A1)"]
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "  =1+1",
    "\u00a0=1+1",
    "\uff1d1+1",
    *INVISIBLE_PREFIXED,
    "#N/A",
    "#REF!",
]
SAFE_TEXT = ["Kelurahan Sukajadi", "Nilai 90 = bagus", "e-mail", "2024", ""]


def _read_back(text: str) -> str:
    """XML normalises CR to LF; the writer does the same up front."""
    return text.replace("\r", "\n")


def _reopen(data: bytes):
    return load_workbook(io.BytesIO(data))


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


def test_write_only_payloads_stay_text_and_numbers_stay_numbers():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Uji")
    numbers = [1, 2.5, Decimal("85.50"), -3, 0]
    for payload in PAYLOADS + SAFE_TEXT[:-1]:
        ws.append([safe_cell(payload, ws)])
    ws.append([safe_cell(n, ws) for n in numbers])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()

    assert "<f>" not in _sheet_xml(data)
    sheet = _reopen(data)["Uji"]
    texts = PAYLOADS + SAFE_TEXT[:-1]
    for row, expected in enumerate(texts, 1):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s", expected
        assert cell.value == _read_back(expected)
        assert cell.quotePrefix is (expected in PAYLOADS)
    number_row = list(sheet.iter_rows(min_row=len(texts) + 1, values_only=True))[0]
    assert number_row == (1, 2.5, 85.5, -3, 0)
    assert all(c.data_type == "n" for c in sheet[len(texts) + 1])


def test_normal_sheet_payloads_stay_text():
    wb = Workbook()
    ws = wb.active
    for row, payload in enumerate(PAYLOADS, 1):
        set_safe(ws, row, 1, payload)
    set_safe(ws, 1, 2, 42)
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = _reopen(buffer.getvalue()).active
    values = [sheet.cell(r, 1).value for r in range(1, len(PAYLOADS) + 1)]
    assert values == [_read_back(p) for p in PAYLOADS]
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(1, len(PAYLOADS) + 1))
    assert sheet.cell(1, 2).value == 42 and sheet.cell(1, 2).data_type == "n"


def test_styled_cell_protects_without_touching_shared_style():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Uji")
    shared = StyleArray()
    shared.fontId = 0
    protected = styled_cell(ws, "=1+1", shared)
    plain = styled_cell(ws, "Nama", shared)
    number = styled_cell(ws, Decimal("1.5"), shared)
    assert protected.data_type == "s" and protected.quotePrefix
    assert protected._style is not shared and not shared.quotePrefix
    assert plain._style is shared and number._style is shared
    assert number.data_type == "n"


@pytest.mark.parametrize("text", PAYLOADS[:-2])
def test_formula_like_text_is_detected(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", SAFE_TEXT + ["Rp 1.000", "a=b", "   ", "\u200b", "\u200bA=1"])
def test_ordinary_text_is_not_flagged(text):
    assert not looks_like_formula(text)


def test_control_characters_are_dropped_not_fatal():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Uji")
    ws.append([safe_cell("Catatan\x00 juri\x07", ws), safe_cell("baris\nbaru", ws)])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = _reopen(buffer.getvalue())["Uji"]
    assert sheet["A1"].value == "Catatan juri"
    assert sheet["B1"].value == "baris\nbaru"
    assert clean_text("a\x1fb") == "ab"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_non_text_objects_are_written_as_text():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Uji")
    class Label:
        def __str__(self):
            return "=EVIL()"

    assert safe_cell(["=x"], ws) == "['=x']"
    protected = safe_cell(Label(), ws)
    assert protected.value == "=EVIL()" and protected.data_type == "s"


def test_sheet_titles_are_valid_and_unique():
    used: set[str] = set()
    long = "Kategori Kelurahan/Desa [Kota]: Terbaik*? Sekali Untuk Tahun Ini"
    first = sheet_title(long, used)
    second = sheet_title(long, used)
    third = sheet_title(long.upper(), used)
    for title in (first, second, third):
        assert len(title) <= 31
        assert not set("[]:*?/\\") & set(title)
    assert len({first.lower(), second.lower(), third.lower()}) == 3
    assert second.endswith("(2)") and third.endswith("(3)")
    assert sheet_title("'Kutip'", used) == "Kutip"
    assert sheet_title("  ", used) == "Lembar"
    assert sheet_title("History", used) != "History"


def test_sheet_titles_are_accepted_by_openpyxl_and_excel_rules():
    used: set[str] = set()
    wb = Workbook()
    for name in ["A/B", "A\\B", "x" * 40, "x" * 40, "Ringkasan", "ringkasan"]:
        wb.create_sheet(sheet_title(name, used))
    buffer = io.BytesIO()
    wb.save(buffer)
    names = _reopen(buffer.getvalue()).sheetnames[1:]
    assert names == ["A B", "A B (2)", "x" * 31, "x" * 27 + " (2)", "Ringkasan", "ringkasan (2)"]
