"""Check an uploaded evidence file by its content before anything is stored.

The browser's name and Content-Type are ignored: the kind comes from the bytes (magic
numbers, and for office files the ZIP's member names). Zip archives are judged from
their central directory and a bounded, in-memory read; nothing is extracted to disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from judging.io.files.polyglot import HTML, markup_anywhere, pdf_problem
from judging.io.xlsx.numbers import format_size

MIMES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "webp": ".webp",
              "xlsx": ".xlsx", "docx": ".docx", "pptx": ".pptx"}
OTHER_EXTENSIONS = {"jpeg": (".jpeg", ".jpe", ".jfif")}  # spellings a download may keep
LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "webp": "WebP",
          "xlsx": "Excel (.xlsx)", "docx": "Word (.docx)", "pptx": "PowerPoint (.pptx)"}
DEFAULT_KINDS = tuple(MIMES)
MB = 1024 * 1024
CHUNK = MB
HEAD = 4096
# Members smaller than this are never called bombs: small XML parts compress very well.
RATIO_GRACE = MB
_OFFICE_ROOTS = {"word": "docx", "xl": "xlsx", "ppt": "pptx"}
_IMAGE_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
_MARKUP = re.compile(rb"<(html|head|body|script|svg|iframe|!doctype|\?xml)[\s>/]", re.I)
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
               b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class CheckedFile:
    """What the content check learnt: the real kind, its MIME type, size and hash."""

    kind: str
    mime: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        """The server-chosen extension for downloads, e.g. ``.jpg``."""
        return EXTENSIONS[self.kind]


class FileRefused(Exception):
    """An upload that must not be stored; carries a code and a message in both languages."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


@dataclass(frozen=True)
class _Limits:
    max_pixels: int
    max_members: int
    max_unpacked: int
    max_ratio: float


def inspect_upload(
    source: str | os.PathLike | BinaryIO,
    *,
    allowed_kinds: tuple[str, ...] | frozenset[str] = DEFAULT_KINDS,
    max_bytes: int,
    max_pixels: int = 40_000_000,
    max_members: int = 2_000,
    max_unpacked: int = 200 * MB,
    max_ratio: float = 100,
) -> CheckedFile:
    """Return the file's real kind, size and SHA-256, or raise :class:`FileRefused`.

    Reads the data once for size and hash (stopping as soon as ``max_bytes`` is passed),
    then only what the kind needs. A stream must be seekable; it is read from position
    0 and left at position 0 so the caller can store it next.
    """
    unknown = set(allowed_kinds) - set(MIMES)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")
    limits = _Limits(max_pixels, max_members, max_unpacked, max_ratio)
    with _rewound(source) as stream:
        head, size, sha256 = _scan(stream, max_bytes)
        kind = sniff(head)
        if kind == "pdf":
            _check_pdf(stream, head, size, limits.max_unpacked)
        elif kind in _IMAGE_FORMATS:
            _check_image(stream, kind, limits.max_pixels)
            _refuse_hidden_markup(stream)
        elif kind == "zip":
            kind = _check_office(stream, limits, allowed_kinds)
        if kind not in allowed_kinds:
            raise _type_refusal(kind, allowed_kinds)
    return CheckedFile(kind, MIMES[kind], size, sha256)


def sniff(head: bytes) -> str:
    """Name the kind the first bytes announce; office files only say ``zip`` here.

    Besides the accepted kinds it answers ``executable``, ``markup`` (HTML, SVG, XML),
    ``ole`` (old or password-protected office files) or ``unknown``.
    """
    if _pdf_start(head) >= 0:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(_EXECUTABLE):
        return "executable"
    if _looks_like_markup(head):
        return "markup"
    return "unknown"


@contextmanager
def _rewound(source: str | os.PathLike | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
        return
    if not source.seekable():
        raise TypeError("inspect_upload needs a seekable stream")
    source.seek(0)
    try:
        yield source
    finally:
        source.seek(0)


def _scan(stream: BinaryIO, max_bytes: int) -> tuple[bytes, int, str]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
    if size == 0:
        raise FileRefused("empty", "Berkas kosong.", "The file is empty.")
    return head, size, digest.hexdigest()


def _pdf_start(head: bytes) -> int:
    """Offset of ``%PDF-`` in the first 1024 bytes, if nothing markup-like precedes it."""
    start = head.find(b"%PDF-", 0, 1024 + 4)
    if start < 0 or b"<" in head[:start]:
        return -1
    return start


def _looks_like_markup(head: bytes) -> bool:
    text = head
    for bom in _BOMS:
        text = text.removeprefix(bom)
    text = text.replace(b"\x00", b"").lstrip()
    return text.startswith(b"<") or bool(_MARKUP.search(text[:HEAD]))


def _check_pdf(stream: BinaryIO, head: bytes, size: int, max_unpacked: int) -> None:
    if HTML.search(head[:2048]):
        raise _type_refusal("markup", ())
    stream.seek(max(0, size - 1024))
    if b"%%EOF" not in stream.read(1024):
        raise _corrupt()
    problem = pdf_problem(stream, max_unpacked)
    if problem in ("polyglot", "active"):
        raise _polyglot() if problem == "polyglot" else _active_pdf()
    if problem == "bomb":
        raise _zip_bomb()
    if problem:
        raise _unreadable_pdf()


def _refuse_hidden_markup(stream: BinaryIO) -> None:
    """An image carrying HTML (appended, or in a comment) is a web page to some readers."""
    if markup_anywhere(stream):
        raise _polyglot()


def _check_jpeg_end(stream: BinaryIO, size: int) -> None:
    """A complete JPEG ends with the EOI marker; checked here because WeasyPrint, once
    imported, switches on Pillow's process-wide LOAD_TRUNCATED_IMAGES."""
    stream.seek(max(0, size - 4096))
    if b"\xff\xd9" not in stream.read(4096):
        raise _corrupt()
    stream.seek(0)


def _check_image(stream: BinaryIO, kind: str, max_pixels: int) -> None:
    from PIL import Image  # loaded by the first image upload, not at start-up

    fmt = [_IMAGE_FORMATS[kind]]
    if kind == "jpeg":
        stream.seek(0, 2)
        _check_jpeg_end(stream, stream.tell())
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, at its own global limit; ours may be lower.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=fmt) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(max_pixels, f"{width}×{height}")
                if kind == "jpeg":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
                else:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels, None) from exc
    except FileRefused:
        raise
    except Exception as exc:  # Pillow signals broken data with many exception types
        raise _corrupt() from exc


def _check_office(stream: BinaryIO, limits: _Limits, allowed: tuple[str, ...]) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > limits.max_members:
                raise _too_many_members(limits.max_members)
            kind = _office_kind([m.filename for m in members])
            if kind not in allowed:
                return kind
            _check_unpacked_sizes(members, limits)
            _check_members_read(archive, members)
            return kind
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError, ValueError) as exc:
        raise _corrupt() from exc


def _office_kind(names: list[str]) -> str:
    if "[Content_Types].xml" not in names:
        return "zip"
    lowered = [name.lower() for name in names]
    if any(n.endswith("vbaproject.bin") or "/activex/" in n for n in lowered):
        return "macro"
    roots = {name.split("/", 1)[0] for name in names if "/" in name} & set(_OFFICE_ROOTS)
    return _OFFICE_ROOTS[roots.pop()] if len(roots) == 1 else "zip"


def _check_unpacked_sizes(members: list[zipfile.ZipInfo], limits: _Limits) -> None:
    unpacked = packed = 0
    for member in members:
        unpacked += member.file_size
        packed += member.compress_size
        if unpacked > limits.max_unpacked or _inflates(member.file_size, member.compress_size,
                                                        limits.max_ratio):
            raise _zip_bomb()
    if _inflates(unpacked, packed, limits.max_ratio):
        raise _zip_bomb()


def _inflates(unpacked: int, packed: int, max_ratio: float) -> bool:
    return unpacked > RATIO_GRACE and unpacked > max_ratio * max(packed, 1)


def _check_members_read(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Decompress every member in memory, chunk by chunk, to prove sizes and CRCs true.

    zipfile stops at each member's declared size, so the total work is bounded by the
    already-checked sum; a member hiding more data fails its CRC and is refused.
    """
    for member in members:
        if member.is_dir():
            continue
        with archive.open(member) as data:
            while data.read(CHUNK):
                pass


def _join(labels: list[str], last: str) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {last} {labels[-1]}"


def _type_refusal(kind: str, allowed: tuple[str, ...] | frozenset[str]) -> FileRefused:
    if kind == "executable":
        return FileRefused("type", "Berkas program (executable) tidak diterima.",
                           "Program files (executables) are not accepted.")
    if kind == "markup":
        return FileRefused("type", "Berkas HTML, SVG, XML atau skrip tidak diterima.",
                           "HTML, SVG, XML or script files are not accepted.")
    if kind == "macro":
        return FileRefused(
            "type", "Berkas Office yang berisi makro atau ActiveX tidak diterima; simpan ulang "
            "sebagai .xlsx, .docx atau .pptx biasa.",
            "Office files with macros or ActiveX are not accepted; save them again as plain "
            ".xlsx, .docx or .pptx.")
    if kind == "ole":
        return FileRefused(
            "type", "Berkas Office lama (.doc/.xls/.ppt) atau yang berkata sandi tidak diterima; "
            "simpan sebagai .docx, .xlsx atau .pptx tanpa kata sandi.",
            "Old (.doc/.xls/.ppt) or password-protected office files are not accepted; save "
            "as .docx, .xlsx or .pptx without a password.")
    labels = [LABELS[k] for k in MIMES if k in allowed] or ["—"]
    return FileRefused(
        "type", f"Jenis berkas tidak didukung. Unggah berkas {_join(labels, 'atau')}.",
        f"File type not supported. Upload a {_join(labels, 'or')} file.")


def _too_large(max_bytes: int) -> FileRefused:
    return FileRefused("too_large", f"Berkas terlalu besar (maksimal {format_size(max_bytes)}).",
                       f"The file is too large (at most {format_size(max_bytes, 'en')}).")


def _too_many_pixels(max_pixels: int, dimensions: str | None) -> FileRefused:
    limit = f"{max_pixels / 1_000_000:.3g}"
    shown = f" ({dimensions} piksel)" if dimensions else ""
    shown_en = f" ({dimensions} pixels)" if dimensions else ""
    return FileRefused("pixels", f"Gambar terlalu besar{shown}; maksimal {limit} megapiksel.",
                       f"The image is too large{shown_en}; at most {limit} megapixels.")


def _too_many_members(max_members: int) -> FileRefused:
    return FileRefused("members", f"Berkas Office berisi terlalu banyak bagian (maksimal "
                       f"{max_members}).", f"The office file has too many parts (at most "
                       f"{max_members}).")


def _zip_bomb() -> FileRefused:
    return FileRefused("zip_bomb", "Berkas Office ini membengkak terlalu besar saat dibuka "
                       "(kemungkinan zip bomb).", "This office file grows too large when "
                       "unpacked (possible zip bomb).")


def _polyglot() -> FileRefused:
    return FileRefused(
        "polyglot", "Berkas ini juga memuat HTML atau teks tersembunyi di luar isinya (berkas "
        "poliglot) dan tidak diterima. Simpan ulang atau cetak ulang sebagai PDF/gambar biasa.",
        "This file also carries HTML or hidden text outside its content (a polyglot file) and "
        "is not accepted. Save or print it again as a plain PDF or image.")


def _active_pdf() -> FileRefused:
    return FileRefused(
        "active", "PDF ini berisi JavaScript atau aksi otomatis (menjalankan skrip atau program "
        "saat dibuka) dan tidak diterima. Cetak ulang sebagai PDF biasa ('Print to PDF').",
        "This PDF contains JavaScript or automatic actions (running a script or program when "
        "opened) and is not accepted. Print it again as a plain PDF ('Print to PDF').")


def _unreadable_pdf() -> FileRefused:
    return FileRefused(
        "unreadable", "Bagian terkompresi PDF ini tidak dapat diperiksa (terenkripsi atau rusak). "
        "Simpan ulang tanpa kata sandi atau cetak ulang sebagai PDF biasa.",
        "Compressed parts of this PDF cannot be checked (encrypted or damaged). Save it again "
        "without a password or print it again as a plain PDF.")


def _corrupt() -> FileRefused:
    return FileRefused("corrupt", "Berkas rusak atau tidak lengkap; coba unggah ulang.",
                       "The file is damaged or incomplete; please upload it again.")
