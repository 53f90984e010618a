"""Evidence files for the demo: small PDFs and PNG images made in code, checked like any
upload and kept in the evidence store, so every evidence viewer has something to show."""

from __future__ import annotations

import io

from judging.evidence import evidence_store
from judging.io.files.check import MB, inspect_upload
from judging.models import Entry, Evidence, User

FILES_PER_ENTRY = (
    ("pdf", "laporan-kegiatan.pdf", "Laporan kegiatan"),
    ("png", "tangkapan-layar-situs.png", "Tangkapan layar situs web"),
)


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF written by hand (Helvetica text, correct cross-reference table)."""
    text = ["BT /F1 18 Tf 56 780 Td (" + _escape(title) + ") Tj ET"]
    text += [f"BT /F1 11 Tf 56 {748 - 18 * i} Td ({_escape(line)}) Tj ET"
             for i, line in enumerate(lines)]
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_png(title: str, colour: tuple[int, int, int]) -> bytes:
    """A small 'screenshot': a coloured header bar and grey content blocks."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 480, 48), fill=colour)
    draw.text((16, 16), title, fill="white")
    for row in range(4):
        draw.rectangle((16, 68 + row * 56, 464, 108 + row * 56), fill=(228, 232, 238))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def attach_demo_evidence(entry: Entry, uploader: User, number: int) -> list[Evidence]:
    """A checked PDF report and a PNG screenshot on ``entry``; the caller commits."""
    name = entry.entrant.name
    contents = {
        "pdf": demo_pdf(f"Laporan Kegiatan {name}",
                        [f"Entri {entry.code}", "Ringkasan layanan informasi publik tahun ini.",
                         "Dokumen contoh untuk demo Juara."]),
        "png": demo_png(name[:40], ((11, 79, 108), (201, 162, 39), (46, 125, 50))[number % 3]),
    }
    added = []
    for kind, file_name, label in FILES_PER_ENTRY:
        stream = io.BytesIO(contents[kind])
        checked = inspect_upload(stream, allowed_kinds=(kind,), max_bytes=MB)
        key = evidence_store().put(stream)
        added.append(Evidence(entry=entry, kind="file", storage_key=key, original_name=file_name,
                              mime=checked.mime, file_kind=checked.kind, size=checked.size,
                              label=label, uploaded_by_id=uploader.id))
    return added
