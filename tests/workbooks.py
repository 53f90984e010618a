"""Workbook makers for tests: real-looking monev files, and hostile or broken ones.

Everything is generated in memory. ``openpyxl_workbook`` covers what Excel users type;
``raw_xlsx`` writes the XML by hand for what openpyxl cannot (cached formula results,
Google-Sheets-like files with inline strings and no styles, Excel-like shared strings);
the rest damage or disguise a good file.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from judging.scoring.types import Indicator, RowError

INDICATORS = (
    Indicator("masuk", "Laporan masuk", "Reports received", type="int",
              aliases=("Jumlah Laporan Masuk",)),
    Indicator("selesai", "Selesai", "Completed", type="int", aliases=("Laporan Selesai",)),
    Indicator("tindak_lanjut", "Tindak lanjut (%)", "Followed up (%)", type="percent", max=100,
              required=False),
    Indicator("saq", "Nilai SAQ", "SAQ score", type="float", max=100, required=False),
)
ENTRANTS = [
    ("KEL-001", "Kelurahan Lebak Siliwangi"),
    ("KEL-002", "Kelurahan Dago"),
    ("KEL-003", "Kelurahan Cipaganti"),
    ("DS-004", "Desa Sukamaju"),
]
HEADER = ["No", "Kode", "Nama", "Laporan masuk", "Selesai", "Tindak lanjut (%)", "Nilai SAQ"]


def validate_row(values) -> list[RowError]:
    """A method-like cross check: 'Selesai' may not exceed 'Laporan masuk'."""
    done, received = values.get("selesai"), values.get("masuk")
    if done is not None and received is not None and done > received:
        return [RowError("selesai", f"{done:g} lebih besar dari 'Laporan masuk' ({received:g})",
                         f"{done:g} is greater than 'Laporan masuk' ({received:g})")]
    return []


def openpyxl_workbook(
    rows: Sequence[Sequence[object]],
    *,
    title: str = "Data",
    sheets_before: Sequence[tuple[str, Sequence[Sequence[object]]]] = (),
    merges: Sequence[str] = (),
    formats: dict[str, str] | None = None,
) -> bytes:
    """A workbook as openpyxl saves it; ``formats`` maps "E5" to a number format."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, other in sheets_before:
        _fill(workbook.create_sheet(name), other)
    sheet = workbook.create_sheet(title)
    _fill(sheet, rows)
    for merge in merges:
        sheet.merge_cells(merge)
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet, rows) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)


def monev_rows(data_rows, *, title_rows: int = 1, header=HEADER) -> list[list[object]]:
    """A typical office sheet: title rows, a header, numbered data rows."""
    rows: list[list[object]] = [["REKAP MONEV PELAYANAN PENGADUAN 2024"]]
    rows += [[] for _ in range(title_rows - 1)]
    rows.append(list(header))
    rows += [[n, *row] for n, row in enumerate(data_rows, start=1)]
    return rows


# -- hand-written XML -------------------------------------------------------------------

def raw_xlsx(
    rows: Sequence[Sequence[object]],
    *,
    shared_strings: bool = False,
    with_refs: bool = True,
    styles: bool = False,
    extra_members: dict[str, bytes] | None = None,
    macro: bool = False,
) -> bytes:
    """A minimal xlsx written by hand.

    Cells: numbers, strings, ``("=A1+B1", cached)`` formulas (``cached=None`` → no value).
    ``shared_strings=False, with_refs=False, styles=False`` is how some online editors
    and generators write (inline strings, no ``r`` attributes, no style part);
    ``shared_strings=True, styles=True`` is closer to Excel.
    """
    strings: list[str] = []
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            ref = f' r="{get_column_letter(c)}{r}"' if with_refs else ""
            cells.append(_cell_xml(ref, value, strings if shared_strings else None))
        row_ref = f' r="{r}"' if with_refs else ""
        body.append(f"<row{row_ref}>{''.join(cells)}</row>")
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    members = {
        "[Content_Types].xml": _content_types(shared_strings, styles, macro),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _workbook_rels(shared_strings, styles),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings:
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        members["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{items}</sst>"
        )
    if styles:
        members["xl/styles.xml"] = _STYLES
    if macro:
        members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not a real macro project"
    members.update(extra_members or {})
    return zip_members(members)


def _cell_xml(ref: str, value, strings: list[str] | None) -> str:
    if isinstance(value, tuple):
        formula, cached = value
        cached_xml = "<v/>" if cached is None else f"<v>{cached}</v>"
        return f"<c{ref}><f>{escape(formula.lstrip('='))}</f>{cached_xml}</c>"
    if isinstance(value, bool):
        return f'<c{ref} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c{ref}><v>{value}</v></c>"
    if strings is None:
        return f'<c{ref} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
    strings.append(str(value))
    return f'<c{ref} t="s"><v>{len(strings) - 1}</v></c>'


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/>'
    '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>'
)


def _content_types(shared_strings: bool, styles: bool, macro: bool) -> str:
    main = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    parts = [
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>',
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>',
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    ]
    if shared_strings:
        parts.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                     'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    if styles:
        parts.append('<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
                     'openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
    return "".join(parts) + "</Types>"


def _workbook_rels(shared_strings: bool, styles: bool) -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = [f'<Relationship Id="rId1" Type="{base}worksheet" Target="worksheets/sheet1.xml"/>']
    if shared_strings:
        rels.append(f'<Relationship Id="rId2" Type="{base}sharedStrings" '
                    'Target="sharedStrings.xml"/>')
    if styles:
        rels.append(f'<Relationship Id="rId3" Type="{base}styles" Target="styles.xml"/>')
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{"".join(rels)}</Relationships>')


# -- zip surgery ------------------------------------------------------------------------

def zip_members(members: dict[str, bytes | str]) -> bytes:
    """A deflated zip of ``members`` (text is UTF-8 encoded)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return out.getvalue()


def read_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def replace_member(data: bytes, name: str, content: bytes | str | None) -> bytes:
    """The same workbook with one member replaced (or removed when ``content`` is None)."""
    members: dict[str, bytes | str] = dict(read_members(data))
    if content is None:
        members.pop(name)
    else:
        members[name] = content
    return zip_members(members)


def as_xlsm(data: bytes) -> bytes:
    """Turn a workbook into a macro-enabled one (content type plus a VBA part)."""
    members: dict[str, bytes | str] = dict(read_members(data))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Sub AutoOpen() Kill"
    return zip_members(members)


def lying_sizes(name: str, real: bytes, declared: int) -> bytes:
    """A zip whose directory declares ``declared`` bytes for ``name`` but holds ``real``.

    The CRC is that of the declared prefix, so a reader trusting the directory is happy.
    """
    good = zip_members({name: real})
    crc = zlib.crc32(real[:declared])
    local = bytearray(good)
    struct.pack_into("<I", local, 14, crc)
    struct.pack_into("<I", local, 22, declared)
    central = local.rfind(b"PK\x01\x02")
    struct.pack_into("<I", local, central + 16, crc)
    struct.pack_into("<I", local, central + 24, declared)
    return bytes(local)


def encrypted_zip_flag(data: bytes) -> bytes:
    """Set the 'encrypted' bit of every entry, as a password-protected zip has."""
    out = bytearray(data)
    for match in re.finditer(rb"PK\x01\x02", bytes(out)):
        flags = struct.unpack_from("<H", out, match.start() + 8)[0]
        struct.pack_into("<H", out, match.start() + 8, flags | 1)
    return bytes(out)


def password_protected(data: bytes, password: str = "rahasia") -> bytes:
    """The workbook encrypted as Excel does ("Protect workbook with password")."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def old_xls() -> bytes:
    """A genuine Excel 97–2003 workbook."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    for c, text in enumerate(HEADER):
        sheet.write(0, c, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)


def libreoffice() -> str:
    """The LibreOffice binary; skips the test without one, but fails it in CI (``make test``
    installs ``libreoffice-calc-nogui``, so a missing binary there is a broken install)."""
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    if binary is None:
        message = "LibreOffice (libreoffice/soffice) is not installed on this machine"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the round-trip tests")
        pytest.skip(message)
    return binary


def libreoffice_resave(data: bytes) -> bytes | None:
    """``data`` opened and saved again by LibreOffice headless (skips or fails without it)."""
    binary = libreoffice()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "in.xlsx")
        source.write_bytes(data)
        out_dir = Path(tmp, "out")
        subprocess.run(
            [binary, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
             str(source)],
            check=True, capture_output=True, timeout=120,
        )
        return (out_dir / "in.xlsx").read_bytes()
