"""Refuse hostile or unreadable workbook files before any parser sees them.

Every uploaded workbook goes through :func:`check_workbook_file` first. The checks read
the zip central directory and then inflate each member ourselves, with a hard cap, so a
zip bomb is stopped by counting bytes rather than by running out of memory inside a
parser. XML type declarations (the door to entity-expansion attacks) are refused in every
member; the XML we parse ourselves goes through ``defusedxml`` as well.
"""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
MAX_MEMBERS = 1_000
MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # small members compress wildly well and are harmless
_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# What a chunk may end with and still become a declaration in the next one.
_DTD_TAIL = re.compile(rb"<(?:!\s*[A-Za-z]{0,6})?")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MACRO_TYPE = b"macroEnabled"


class WorkbookRefused(Exception):
    """The whole file cannot be imported; carries the reason in Indonesian and English."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


def verify_defusedxml() -> None:
    """Fail start-up unless openpyxl will parse XML through defusedxml (entity attacks blocked).

    openpyxl switches defusedxml on when it can import it and ``OPENPYXL_DEFUSEDXML`` is
    not "False"; the same test is made here without importing openpyxl (a second of
    start-up), and openpyxl's own flag is read when something already loaded it.
    """
    if importlib.util.find_spec("openpyxl") is None or importlib.util.find_spec(
        "defusedxml"
    ) is None:
        raise RuntimeError("defusedxml and openpyxl must be installed")
    loaded = sys.modules.get("openpyxl")
    enabled = os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True"
    if not enabled or (loaded is not None and not getattr(loaded, "DEFUSEDXML", False)):
        raise RuntimeError("openpyxl is not using defusedxml; install defusedxml")


@dataclass(frozen=True)
class WorkbookFacts:
    """What the safety pass learnt on the way: the kind, and which parts hold formulas."""

    kind: str
    formula_parts: frozenset[str]


def check_workbook_file(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_unpacked: int = MAX_UNPACKED,
    max_ratio: float = MAX_RATIO,
) -> str:
    """Return ``"xlsx"`` or ``"xlsm"`` for a safe workbook, else raise :class:`WorkbookRefused`.

    Cheap checks (signature, directory, declared sizes) run before anything is inflated,
    and inflation itself stops as soon as the real size passes the declared one.
    """
    return inspect_workbook(
        data, max_members=max_members, max_unpacked=max_unpacked, max_ratio=max_ratio
    ).kind


def inspect_workbook(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_unpacked: int = MAX_UNPACKED,
    max_ratio: float = MAX_RATIO,
) -> WorkbookFacts:
    """:func:`check_workbook_file`, also noting parts that hold ``<f`` (may have formulas).

    The reader uses that to skip looking for formulas without saved results in sheets
    that have no formulas at all, without inflating them a second time.
    """
    if data.startswith(OLE2_SIGNATURE):
        raise _ole2_refusal(data)
    if not data.startswith(ZIP_SIGNATURE):
        raise _refuse(
            "Berkas ini bukan buku kerja Excel (.xlsx). Simpan ulang sebagai 'Excel Workbook'; "
            "berkas CSV atau PDF yang diganti namanya tidak bisa dibaca.",
            "This file is not an Excel workbook (.xlsx). Save it again as 'Excel Workbook'; "
            "a renamed CSV or PDF cannot be read.",
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged() from exc
    _check_directory(infos, max_members, max_unpacked, max_ratio)
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _not_excel_zip(names)
    content_types = b""
    formula_parts = set()
    for info in infos:
        head, formulas = _inflate_checked(data, info)
        if info.filename == "[Content_Types].xml":
            content_types = head
        if formulas:
            formula_parts.add(info.filename)
    macro = _MACRO_TYPE in content_types or "xl/vbaProject.bin" in names
    return WorkbookFacts("xlsm" if macro else "xlsx", frozenset(formula_parts))


def _check_directory(infos, max_members: int, max_unpacked: int, max_ratio: float) -> None:
    if len(infos) > max_members:
        raise _refuse(
            f"Berkas berisi {len(infos)} bagian (batas {max_members}); ditolak demi keamanan.",
            f"The file holds {len(infos)} parts (limit {max_members}); refused for safety.",
        )
    total = sum(info.file_size for info in infos)
    if total > max_unpacked:
        raise _too_large(total, max_unpacked)
    for info in infos:
        if info.flag_bits & 0x1:
            raise _encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise _refuse(
                f"Bagian '{info.filename}' memampat {ratio:.0f}× (batas {max_ratio:g}×); "
                "berkas ditolak sebagai kemungkinan bom zip.",
                f"Part '{info.filename}' is compressed {ratio:.0f}× (limit {max_ratio:g}×); "
                "the file is refused as a likely zip bomb.",
            )


def _inflate_checked(data: bytes, info: zipfile.ZipInfo) -> tuple[bytes, bool]:
    """Inflate one member, never past its declared size; its first chunk, and any ``<f``?

    Parsers trust the sizes in the directory no more than we do: the compressed bytes are
    inflated here with a cap, the CRC compared, and XML type declarations refused.
    """
    start = _member_start(data, info)
    raw = data[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _damaged()
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    size, crc, head, pos, formulas, last = 0, 0, b"", 0, False, b""
    dtd = _DtdScan(info.filename)
    while True:
        if inflater is None:
            chunk, pos = raw[pos : pos + _CHUNK], pos + _CHUNK
        else:
            chunk = _inflate_step(inflater, raw, _CHUNK)
            raw = b""
        if not chunk:
            break
        size += len(chunk)
        if size > info.file_size:
            raise _refuse(
                f"Ukuran bagian '{info.filename}' tidak sesuai dengan isinya; berkas ditolak.",
                f"Part '{info.filename}' is larger than it declares; the file is refused.",
            )
        crc = zlib.crc32(chunk, crc)
        formulas = formulas or b"<f" in chunk or (last == b"<" and chunk[:1] == b"f")
        last = chunk[-1:]
        head = head or chunk
        dtd.feed(chunk)
    if size != info.file_size or crc != info.CRC:
        raise _damaged()
    return head, formulas


def _inflate_step(inflater, raw: bytes, limit: int) -> bytes:
    try:
        if raw:
            return inflater.decompress(raw, limit)
        return inflater.decompress(inflater.unconsumed_tail, limit)
    except zlib.error as exc:
        raise _damaged() from exc


def _member_start(data: bytes, info: zipfile.ZipInfo) -> int:
    offset = info.header_offset
    try:
        fields = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error as exc:
        raise _damaged() from exc
    if fields[0] != ZIP_SIGNATURE:
        raise _damaged()
    return offset + _LOCAL_HEADER.size + fields[9] + fields[10]


class _DtdScan:
    """Look for XML type declarations in a whole part, one chunk at a time.

    The end of each chunk that could still start a declaration is carried into the next,
    so ``<!DOC`` + ``TYPE`` split across chunks is caught. Which parts are XML is decided
    by name and by content, since a relationship may point a parser at any part name.
    UTF-16/32 text is scanned with its zero bytes removed.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = False
        self.active = name.endswith(_XML_SUFFIXES)
        self.wide = False
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        """Scan ``chunk`` with what the previous one left open; refuse on a declaration."""
        if not self.started:
            self._start(chunk)
        if not self.active:
            return
        if self.wide:
            chunk = chunk.replace(b"\x00", b"")
        text = self.carry + chunk
        if b"<!" in text and _DTD.search(text):
            raise _dtd_refusal(self.name)
        start = text.rfind(b"<")
        tail = text[start:] if start >= 0 else b""
        self.carry = b" ".join(tail.split()) if _DTD_TAIL.fullmatch(tail) else b""

    def _start(self, chunk: bytes) -> None:
        self.started = True
        self.wide = chunk.startswith(_WIDE_BOMS) or b"\x00" in chunk[:4]
        text = chunk.replace(b"\x00", b"") if self.wide else chunk
        for bom in (b"\xef\xbb\xbf", *_WIDE_BOMS):
            text = text.removeprefix(bom)
        self.active = self.active or text.lstrip().startswith(b"<")


def _dtd_refusal(name: str) -> WorkbookRefused:
    return _refuse(
        f"Bagian '{name}' memuat deklarasi DTD/entitas XML; berkas ditolak demi keamanan.",
        f"Part '{name}' contains an XML DTD or entity declaration; refused for safety.",
    )


def _ole2_refusal(data: bytes) -> WorkbookRefused:
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode(
        "utf-16-le"
    ) in data:
        return _encrypted()
    return _refuse(
        "Ini berkas Excel lama (.xls). Buka di Excel atau LibreOffice lalu simpan sebagai "
        ".xlsx.",
        "This is an old Excel file (.xls). Open it in Excel or LibreOffice and save it as "
        ".xlsx.",
    )


def _not_excel_zip(names: set[str]) -> WorkbookRefused:
    if "content.xml" in names or "mimetype" in names:
        return _refuse(
            "Ini berkas OpenDocument (.ods). Simpan ulang sebagai .xlsx.",
            "This is an OpenDocument file (.ods). Save it again as .xlsx.",
        )
    return _refuse(
        "Berkas zip ini bukan buku kerja Excel (tidak ada xl/workbook.xml).",
        "This zip file is not an Excel workbook (xl/workbook.xml is missing).",
    )


def _encrypted() -> WorkbookRefused:
    return _refuse(
        "Buku kerja ini dilindungi kata sandi (terenkripsi). Hapus kata sandinya lalu unggah "
        "lagi.",
        "This workbook is password-protected (encrypted). Remove the password and upload it "
        "again.",
    )


def _damaged() -> WorkbookRefused:
    return _refuse(
        "Berkas terpotong atau rusak; unggah ulang atau simpan ulang dari Excel.",
        "The file is truncated or damaged; upload it again or re-save it from Excel.",
    )


def _too_large(total: int, limit: int) -> WorkbookRefused:
    mib, lim = total / 1048576, limit / 1048576
    return _refuse(
        f"Isi berkas {mib:.0f} MiB setelah diekstrak (batas {lim:.0f} MiB); ditolak.",
        f"The file unpacks to {mib:.0f} MiB (limit {lim:.0f} MiB); refused.",
    )


def _refuse(message_id: str, message_en: str) -> WorkbookRefused:
    return WorkbookRefused(message_id, message_en)
