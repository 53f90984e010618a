"""Hostile, broken and disguised files are refused before any parser reads them."""

from __future__ import annotations

import importlib.util
import io
import sys

import openpyxl
import pytest
import python_calamine
from defusedxml import EntitiesForbidden

from judging.io.monev.reader import preview_monev
from judging.io.xlsx import safety as xlsx_safety
from judging.io.xlsx.safety import WorkbookRefused, check_workbook_file, verify_defusedxml
from tests import workbooks as wb


@pytest.fixture(scope="module")
def good() -> bytes:
    return wb.openpyxl_workbook(wb.monev_rows([["KEL-001", "Kelurahan Lebak Siliwangi", 10, 5]]))


def refusal(data: bytes, **limits) -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook_file(data, **limits)
    return caught.value


def test_a_normal_workbook_is_xlsx_and_a_macro_one_is_xlsm(good):
    assert check_workbook_file(good) == "xlsx"
    assert check_workbook_file(wb.as_xlsm(good)) == "xlsm"


@pytest.mark.parametrize(
    "data",
    [b"Kode;Nama;Laporan masuk\nKEL-001;Dago;10\n", b"%PDF-1.7\n1 0 obj<<>>endobj\n", b""],
    ids=["csv", "pdf", "empty"],
)
def test_renamed_csv_or_pdf_is_not_a_workbook(data):
    error = refusal(data)
    assert "bukan buku kerja Excel" in error.message_id
    assert "not an Excel workbook" in error.message_en
    assert str(error) == error.message_en


def test_old_xls_is_refused_with_advice_to_save_as_xlsx():
    error = refusal(wb.old_xls())
    assert "Excel lama (.xls)" in error.message_id
    assert "save it as .xlsx" in error.message_en


def test_password_protected_workbook_is_refused(good):
    error = refusal(wb.password_protected(good))
    assert "dilindungi kata sandi" in error.message_id
    assert "password-protected" in error.message_en


def test_zip_level_encryption_is_refused(good):
    assert "password-protected" in refusal(wb.encrypted_zip_flag(good)).message_en


@pytest.mark.parametrize("keep", [0.5, 0.95], ids=["half", "tail-cut"])
def test_truncated_file_is_refused(good, keep):
    error = refusal(good[: int(len(good) * keep)])
    assert "terpotong atau rusak" in error.message_id


def test_corrupted_member_data_is_refused(good):
    damaged = bytearray(good)
    start = damaged.find(b"xl/worksheets/sheet1.xml") + 40
    damaged[start : start + 20] = b"\x00" * 20
    assert "truncated or damaged" in refusal(bytes(damaged)).message_en


def test_too_many_members_is_refused_from_the_directory():
    members = {f"xl/media/image{i}.png": b"x" for i in range(30)}
    members["xl/workbook.xml"] = "<workbook/>"
    error = refusal(wb.zip_members(members), max_members=25)
    assert error.message_en == "The file holds 31 parts (limit 25); refused for safety."


def test_unpacked_size_over_the_limit_is_refused(good):
    big = wb.replace_member(good, "xl/media/blob.bin", b"\x00" * (3 * 1024 * 1024))
    error = refusal(big, max_unpacked=2 * 1024 * 1024)
    assert error.message_en == "The file unpacks to 3 MiB (limit 2 MiB); refused."


def test_zip_bomb_ratio_is_refused(good):
    bomb = wb.replace_member(good, "xl/worksheets/sheet1.xml", b" " * (20 * 1024 * 1024))
    error = refusal(bomb)
    assert "xl/worksheets/sheet1.xml" in error.message_en
    assert "likely zip bomb" in error.message_en


def test_a_member_larger_than_its_directory_entry_is_refused():
    lying = wb.lying_sizes("xl/workbook.xml", b"<workbook>" + b" " * 100_000, declared=50)
    assert "larger than it declares" in refusal(lying).message_en


def test_zip_without_workbook_part_is_refused(good):
    docx = wb.zip_members({"word/document.xml": "<document/>", "[Content_Types].xml": "<T/>"})
    assert "xl/workbook.xml is missing" in refusal(docx).message_en
    ods = wb.zip_members({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                          "content.xml": "<office:document-content/>"})
    assert "OpenDocument" in refusal(ods).message_en
    assert "xl/workbook.xml" in refusal(wb.replace_member(good, "xl/workbook.xml", None)).message_en


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                    "[Content_Types].xml"])
def test_billion_laughs_is_refused_before_parsing(good, member):
    original = wb.read_members(good)[member].decode()
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    attack = wb.BILLION_LAUGHS + body.replace("Kode", "&lol4;", 1)
    error = refusal(wb.replace_member(good, member, attack))
    assert f"Part '{member}' contains an XML DTD or entity declaration" in error.message_en


DOCTYPE = '<!DOCTYPE x [<!ENTITY e "boom">]>'
COMMENT = "<!--" + "a" * 70_000 + "-->"


def test_doctype_after_a_70_kb_comment_is_refused(good):
    sheet = wb.read_members(good)["xl/worksheets/sheet1.xml"].decode().split("?>", 1)[-1]
    attack = wb.replace_member(good, "xl/worksheets/sheet1.xml", COMMENT + DOCTYPE + sheet)
    error = refusal(attack)
    assert "Part 'xl/worksheets/sheet1.xml' contains an XML DTD" in error.message_en


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
@pytest.mark.parametrize("declaration", [DOCTYPE, '<!ENTITY e "x">', "<!  \n\t DOCTYPE x>"])
def test_declaration_split_across_chunks_is_refused(good, monkeypatch, chunk, declaration):
    monkeypatch.setattr(xlsx_safety, "_CHUNK", chunk)
    attack = wb.replace_member(good, "[Content_Types].xml", "<!-- x -->" + declaration + "<T/>")
    assert "XML DTD or entity" in refusal(attack).message_en


def test_long_whitespace_inside_a_declaration_does_not_hide_it(good, monkeypatch):
    monkeypatch.setattr(xlsx_safety, "_CHUNK", 4096)
    attack = wb.replace_member(good, "xl/workbook.xml", "<!" + " " * 20_000 + "DOCTYPE x><w/>")
    assert "XML DTD or entity" in refusal(attack).message_en


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_doctype_late_in_a_utf16_part_is_refused(good, encoding):
    text = '<?xml version="1.0" encoding="UTF-16"?>' + COMMENT + DOCTYPE + "<Types/>"
    attack = wb.replace_member(good, "[Content_Types].xml", text.encode(encoding))
    assert "XML DTD or entity" in refusal(attack).message_en


def test_xml_under_another_part_name_is_scanned_too(good):
    attack = wb.replace_member(good, "xl/worksheets/sheet9.bin", COMMENT + DOCTYPE + "<x/>")
    assert "Part 'xl/worksheets/sheet9.bin'" in refusal(attack).message_en
    harmless = wb.replace_member(good, "xl/media/image1.png", b"\x89PNG\r\n\x1a\n<!DOC")
    assert check_workbook_file(harmless) == "xlsx"


def test_billion_laughs_never_expands_in_the_parsers_either(good):
    """Past our check, openpyxl (defusedxml) and calamine both refuse to expand entities."""
    members = wb.read_members(good)
    body = members["xl/workbook.xml"].decode().split("?>", 1)[-1]
    attack = wb.replace_member(good, "xl/workbook.xml", wb.BILLION_LAUGHS + body)
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(attack))
    assert isinstance(caught.value.__cause__, EntitiesForbidden)
    sheet = members["xl/worksheets/sheet1.xml"].decode().split("?>", 1)[-1]
    attack = wb.replace_member(
        good, "xl/worksheets/sheet1.xml", wb.BILLION_LAUGHS + sheet.replace("Kode", "&lol4;")
    )
    with pytest.raises(python_calamine.XmlError, match="unrecognized entity"):
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(attack)).get_sheet_by_index(0)


def test_preview_refuses_hostile_files_too(good):
    with pytest.raises(WorkbookRefused, match="not an Excel workbook"):
        preview_monev(b"a,b\n1,2\n", indicators=wb.INDICATORS, entrants=wb.ENTRANTS)


def test_verify_defusedxml_passes_here_and_fails_without_it(monkeypatch):
    verify_defusedxml()
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        xlsx_safety.verify_defusedxml()


def test_verify_defusedxml_refuses_before_openpyxl_is_loaded(monkeypatch):
    """The start-up check must not need openpyxl imported, and still catch its switches."""
    monkeypatch.delitem(sys.modules, "openpyxl")
    verify_defusedxml()
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "False")
    with pytest.raises(RuntimeError, match="not using defusedxml"):
        verify_defusedxml()
    monkeypatch.delenv("OPENPYXL_DEFUSEDXML")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "defusedxml" else real(name, *a))
    with pytest.raises(RuntimeError, match="must be installed"):
        verify_defusedxml()
