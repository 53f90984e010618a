"""Evidence uploads are judged by their bytes: real files pass, disguised ones are refused."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from judging.io.files.check import CHUNK, MB, FileRefused, inspect_upload, sniff

LIMIT = 10 * MB

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{type}"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{part}"/></Relationships>'
)
OFFICE_PARTS = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document.main+xml",
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
             'main"><w:body><w:p><w:r><w:t>Bukti</w:t></w:r></w:p></w:body></w:document>'),
    "pptx": ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument."
             "presentationml.presentation.main+xml",
             '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
             'main"/>'),
}


def make_pdf(catalog: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with a correct cross-reference table; objects 4… are ``extra``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog,
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", *extra]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def make_image(fmt: str, size=(64, 48), noise=False) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else (
        Image.new("RGB", size, (200, 30, 30)))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Indikator", "Nilai"])
    workbook.active.append(["Website", 87])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    part, content_type, body = OFFICE_PARTS[kind]
    return make_zip({
        "[Content_Types].xml": CONTENT_TYPES.format(part=part, type=content_type).encode(),
        "_rels/.rels": RELS.format(part=part).encode(),
        part: body.encode(),
        **(extra or {}),
    })


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def add_members(archive_bytes: bytes, extra: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return make_zip({**members, **extra})


def patch_declared_size(archive_bytes: bytes, name: str, size: int) -> bytes:
    """Rewrite a member's uncompressed size in the central directory only."""
    data = bytearray(archive_bytes)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46: entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(f"{name} not in archive")


def png_with_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(
            ">I", zlib.crc32(tag + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def check(tmp_path, data: bytes, name="bukti.pdf", **limits):
    path = tmp_path / name
    path.write_bytes(data)
    limits.setdefault("max_bytes", LIMIT)
    return inspect_upload(path, **limits)


def refusal(tmp_path, data: bytes, name="bukti.pdf", **limits) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        check(tmp_path, data, name, **limits)
    assert caught.value.message_id and caught.value.message_en
    assert caught.value.message_id != caught.value.message_en
    return caught.value


# Accepted files


def test_minimal_pdf_is_valid_and_accepted(tmp_path):
    data = make_pdf()
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    checked = check(tmp_path, data)
    assert (checked.kind, checked.mime, checked.size) == ("pdf", "application/pdf", len(data))
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.extension == ".pdf"


def test_pdf_after_leading_whitespace_is_accepted(tmp_path):
    assert check(tmp_path, b"\r\n  " + make_pdf()).kind == "pdf"


@pytest.mark.parametrize(("fmt", "kind", "mime", "extension"), [
    ("PNG", "png", "image/png", ".png"),
    ("JPEG", "jpeg", "image/jpeg", ".jpg"),
    ("WEBP", "webp", "image/webp", ".webp"),
])
def test_images_are_accepted(tmp_path, fmt, kind, mime, extension):
    checked = check(tmp_path, make_image(fmt, noise=True), name="foto.bin")
    assert (checked.kind, checked.mime, checked.extension) == (kind, mime, extension)


def test_xlsx_from_openpyxl_is_accepted(tmp_path):
    checked = check(tmp_path, make_xlsx(), name="rekap")
    assert checked.kind == "xlsx"
    assert checked.mime.endswith("spreadsheetml.sheet")


@pytest.mark.parametrize("kind", ["docx", "pptx"])
def test_minimal_docx_and_pptx_are_accepted(tmp_path, kind):
    assert check(tmp_path, make_office(kind), name="x.zip").kind == kind


def test_kind_comes_from_content_not_name(tmp_path):
    assert check(tmp_path, make_image("PNG"), name="laporan.pdf").kind == "png"
    assert check(tmp_path, make_pdf(), name="foto.png").kind == "pdf"


def test_stream_is_hashed_and_left_rewound():
    data = make_image("JPEG", noise=True)
    stream = io.BytesIO(data)
    stream.seek(5)
    checked = inspect_upload(stream, max_bytes=LIMIT)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)
    assert stream.tell() == 0


def test_stream_is_rewound_after_a_refusal():
    stream = io.BytesIO(b"<html><body>hai</body></html>")
    with pytest.raises(FileRefused):
        inspect_upload(stream, max_bytes=LIMIT)
    assert stream.tell() == 0


def test_unseekable_stream_is_a_programming_error():
    class Pipe(io.RawIOBase):
        def readable(self):
            return True

        def seekable(self):
            return False

    with pytest.raises(TypeError):
        inspect_upload(Pipe(), max_bytes=LIMIT)


def test_unknown_allowed_kind_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="gif"):
        check(tmp_path, make_pdf(), allowed_kinds=("pdf", "gif"))


# Refusals by type


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode",
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120,
    b"#!/bin/sh\nrm -rf /\n",
])
def test_renamed_executables_are_refused(tmp_path, data):
    refused = refusal(tmp_path, data, name="laporan.pdf")
    assert refused.code == "type"
    assert "executable" in refused.message_id


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    b"\xef\xbb\xbf\n   <html><script>fetch('/api')</script></html>",
    "<html><script>alert(1)</script></html>".encode("utf-16"),
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"<html>%PDF-1.4 trailing",
    b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
])
def test_markup_is_refused_even_named_pdf(tmp_path, data):
    refused = refusal(tmp_path, data, name="dokumen.pdf")
    assert refused.code == "type"
    assert "HTML" in refused.message_en


def test_plain_script_is_refused_as_unknown(tmp_path):
    refused = refusal(tmp_path, b"alert(document.cookie);\n", name="bukti.pdf")
    assert refused.code == "type"
    assert "PDF" in refused.message_id and "atau" in refused.message_id


def test_plain_zip_is_refused(tmp_path):
    refused = refusal(tmp_path, make_zip({"laporan.pdf": make_pdf()}), name="bukti.xlsx")
    assert refused.code == "type"


def test_macro_enabled_workbook_is_refused(tmp_path):
    data = add_members(make_xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})
    refused = refusal(tmp_path, data, name="rekap.xlsx")
    assert (refused.code, "makro" in refused.message_id) == ("type", True)


def test_old_or_password_protected_office_file_is_refused(tmp_path):
    refused = refusal(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
                      name="rekap.xlsx")
    assert refused.code == "type" and "sandi" in refused.message_id


def test_kind_outside_the_category_allowance_is_refused(tmp_path):
    refused = refusal(tmp_path, make_office("docx"), allowed_kinds=("pdf",))
    assert refused.code == "type"
    assert refused.message_id == "Jenis berkas tidak didukung. Unggah berkas PDF."


def test_sniff_names_what_it_sees():
    assert sniff(make_pdf()[:64]) == "pdf"
    assert sniff(make_xlsx()[:64]) == "zip"
    assert sniff(b"GIF89a\x01\x00") == "unknown"


# Size, emptiness and damage


def test_empty_file_is_refused(tmp_path):
    assert refusal(tmp_path, b"").code == "empty"


def test_oversize_is_refused(tmp_path):
    data = make_pdf()
    assert check(tmp_path, data, max_bytes=len(data)).kind == "pdf"
    refused = refusal(tmp_path, data, max_bytes=len(data) - 1)
    assert refused.code == "too_large"


def test_oversize_stream_is_not_read_to_the_end():
    class Counting(io.BytesIO):
        consumed = 0

        def read(self, size=-1):
            chunk = super().read(size)
            self.consumed += len(chunk)
            return chunk

    stream = Counting(make_pdf() + b"\x00" * (30 * MB))
    with pytest.raises(FileRefused) as caught:
        inspect_upload(stream, max_bytes=MB)
    assert caught.value.code == "too_large"
    assert "1 MB" in caught.value.message_id
    assert stream.consumed <= MB + CHUNK


def test_truncated_pdf_is_refused(tmp_path):
    assert refusal(tmp_path, make_pdf()[:-30]).code == "corrupt"


@pytest.mark.parametrize("truncated_images", [False, True])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_truncated_image_is_refused(tmp_path, fmt, truncated_images, monkeypatch):
    """Also when Pillow tolerates truncated images (WeasyPrint switches that on globally)."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", truncated_images)
    data = make_image(fmt, size=(256, 256), noise=True)
    assert refusal(tmp_path, data[: len(data) // 2], name="foto.png").code == "corrupt"


def test_png_with_bad_checksum_is_refused(tmp_path):
    data = bytearray(make_image("PNG", noise=True))
    data[-20] ^= 0xFF  # inside the last IDAT chunk
    assert refusal(tmp_path, bytes(data)).code == "corrupt"


def test_truncated_xlsx_is_refused(tmp_path):
    data = make_xlsx()
    assert refusal(tmp_path, data[: len(data) - 200], name="rekap.xlsx").code == "corrupt"


# Pixel bombs


@pytest.mark.parametrize(("width", "height"), [
    (10_000, 5_000),     # over our limit, under Pillow's warning threshold
    (10_000, 10_000),    # over Pillow's warning threshold
    (100_000, 100_000),  # over Pillow's hard limit
])
def test_pixel_bomb_png_is_refused(tmp_path, width, height):
    data = png_with_size(width, height)
    assert len(data) < 200
    refused = refusal(tmp_path, data, name="foto.png")
    assert refused.code == "pixels"
    assert "40 megapiksel" in refused.message_id


def test_pixel_limit_is_configurable(tmp_path):
    data = make_image("PNG", size=(100, 100))
    assert check(tmp_path, data, max_pixels=10_000).kind == "png"
    assert refusal(tmp_path, data, max_pixels=9_999).code == "pixels"


# Zip bombs


def test_highly_compressible_member_in_xlsx_is_a_zip_bomb(tmp_path):
    data = add_members(make_xlsx(), {"xl/media/image1.png": b"\x00" * (20 * MB)})
    assert len(data) < 200_000
    assert refusal(tmp_path, data, name="rekap.xlsx").code == "zip_bomb"


def test_huge_declared_size_is_a_zip_bomb(tmp_path):
    data = patch_declared_size(make_xlsx(), "xl/workbook.xml", 0xFFFFFFF0)
    assert refusal(tmp_path, data, name="rekap.xlsx").code == "zip_bomb"


def test_unpacked_total_is_limited(tmp_path):
    data = add_members(make_xlsx(), {"xl/media/photo.jpg": os.urandom(2 * MB)})
    assert check(tmp_path, data, max_unpacked=3 * MB).kind == "xlsx"
    assert refusal(tmp_path, data, max_unpacked=2 * MB).code == "zip_bomb"


def test_member_hiding_more_data_than_declared_is_refused(tmp_path):
    data = add_members(make_xlsx(), {"xl/media/big.bin": b"A" * 50_000})
    data = patch_declared_size(data, "xl/media/big.bin", 100)
    assert refusal(tmp_path, data, name="rekap.xlsx").code == "corrupt"


def test_too_many_members_is_refused(tmp_path):
    extra = {f"xl/media/p{index}.xml": b"<a/>" for index in range(2_000)}
    data = add_members(make_xlsx(), extra)
    refused = refusal(tmp_path, data, name="rekap.xlsx")
    assert refused.code == "members"
    assert "2000" in refused.message_id
    assert check(tmp_path, data, max_members=2_100).kind == "xlsx"


# Polyglots and active PDFs


def _stream(dictionary: bytes, body: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(body), body)


JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"


def _object_stream(body: bytes, compress=True) -> bytes:
    data = zlib.compress(b"5 0 " + body) if compress else b"5 0 " + body
    filters = b"/Filter /FlateDecode" if compress else b""
    return _stream(b"/Type /ObjStm /N 1 /First 4 " + filters, data)


@pytest.mark.parametrize("data", [
    make_pdf(extra=(b"<< /Comment (" + b"x" * 3000 + b") >>",)).replace(
        b"%%EOF", b"<html><body><script>alert(1)</script></body></html>\n%%EOF"),
    make_pdf(extra=(_stream(b"", b"x" * 3000 + b"<iframe src=x></iframe>"),)),
    b"Hello browser\n" + make_pdf(),
    b"GIF89a\x01\x00" + make_pdf(),
], ids=["html-after-2048", "html-in-stream", "text-before-header", "gif-before-header"])
def test_pdf_polyglots_are_refused(tmp_path, data):
    refused = refusal(tmp_path, data)
    assert refused.code == "polyglot"
    assert "polyglot" in refused.message_en and "poliglot" in refused.message_id


@pytest.mark.parametrize(("fmt", "extra"), [
    ("JPEG", b"<html><script>alert(1)</script></html>"),
    ("PNG", b"<html><script>alert(1)</script></html>"),
    ("JPEG", b"\xff\xd9<svg onload=alert(1)>"),
    ("PNG", b"\n\n<!DOCTYPE html><p>x"),
])
def test_images_with_markup_after_the_end_are_refused(tmp_path, fmt, extra):
    refused = refusal(tmp_path, make_image(fmt) + extra, name="foto.jpg")
    assert refused.code == "polyglot"


def test_jpeg_with_html_in_a_comment_segment_is_refused(tmp_path):
    image = make_image("JPEG")
    comment = b"<html><script>alert(1)</script></html>"
    data = image[:2] + b"\xff\xfe" + len(comment + b"..").to_bytes(2, "big") + comment + image[2:]
    assert refusal(tmp_path, data, name="foto.jpg").code == "polyglot"


@pytest.mark.parametrize("data", [
    make_pdf(b"/OpenAction 4 0 R ", (JS_ACTION,)),
    make_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
    make_pdf(b"/OpenAction 4 0 R ", (b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",)),
    make_pdf(b"/Names << /JavaScript 4 0 R >> ", (b"<< /Names [(a) 5 0 R] >>",)),
    make_pdf(extra=(b"<< /Type /Annot /AA << /O << /S /Launch /F (cmd.exe) >> >> >>",)),
    make_pdf(b"/OpenAction 5 0 R ", (_object_stream(JS_ACTION),)),
    make_pdf(b"/OpenAction 5 0 R ", (_object_stream(JS_ACTION, compress=False),)),
], ids=["openaction-js", "inline-js", "hex-escaped-names", "names-tree", "aa-launch",
        "js-in-object-stream", "js-in-plain-object-stream"])
def test_pdfs_with_javascript_or_launch_actions_are_refused(tmp_path, data):
    refused = refusal(tmp_path, data)
    assert refused.code == "active"
    assert "JavaScript" in refused.message_en and "JavaScript" in refused.message_id


def test_pdf_made_by_pypdf_with_javascript_is_refused(tmp_path):
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_open_action(JavaScript("app.alert('x');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal(tmp_path, buffer.getvalue()).code == "active"


def test_object_stream_that_cannot_be_inflated_is_refused(tmp_path):
    broken = _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", b"\x00garbage" * 20)
    assert refusal(tmp_path, make_pdf(extra=(broken,))).code == "unreadable"


def test_binary_stream_spelling_js_is_not_mistaken_for_an_action(tmp_path):
    image = _stream(b"/Type /XObject /Subtype /Image", b"\x00\x17/JS /AA (/Launch)\xff" * 50)
    compressed = _object_stream(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    assert check(tmp_path, make_pdf(extra=(image, compressed))).kind == "pdf"
