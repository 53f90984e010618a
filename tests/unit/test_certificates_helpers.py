"""Shared builders for the certificate tests (no tests here): contexts, resources, PDFs."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import replace

from pypdf import PdfReader

from judging.io.certificates.pdfs import CertificateContext, Signatory


def png_bytes(width: int = 40, height: int = 20, rgb=(11, 79, 108)) -> bytes:
    """A real, tiny, solid-colour PNG, so image resources are genuine images."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


RESOURCES = {"logo.png": png_bytes(60, 60), "ttd-kepala.png": png_bytes(80, 24, (20, 20, 80))}


def make_context(**changes) -> CertificateContext:
    """A realistic winner's certificate; keyword arguments replace fields."""
    ctx = CertificateContext(
        serial="IKP-2023/MS/001",
        verification_code="K7Q4-9ZXM-2PLA",
        verify_url="https://juara.example.go.id/verifikasi/K7Q49ZXM2PLA",
        organiser_name="Dinas Komunikasi dan Informatika Provinsi Jawa Barat",
        organiser_logo="logo.png",
        competition_name="Piala Humas Jabar 2023",
        category_name="Pengelolaan Media Sosial Kabupaten/Kota",
        entrant_name="Pemerintah Kabupaten Bandung Barat",
        award="Peringkat Pertama",
        band="Sangat Baik",
        kind="winner",
        place="Bandung",
        date_text="12 Desember 2023",
        signatories=[Signatory("Dr. Ahmad Fauzi", "Kepala Dinas", "ttd-kepala.png")],
        extra={"Nilai akhir": "92,4"},
    )
    return replace(ctx, **changes)


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with runs of white space folded to one space."""
    return [" ".join(page.extract_text().split()) for page in pdf_reader(pdf).pages]


def embedded_file_count(pdf: bytes) -> int:
    """Embedded files in the name tree plus file-attachment annotations."""
    reader = pdf_reader(pdf)
    count = len(reader.attachments)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                count += 1
    return count
