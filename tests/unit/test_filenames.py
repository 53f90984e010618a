"""Display names and download headers built from untrusted upload names."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from judging.io.files.names import (
    FALLBACK,
    MAX_LENGTH,
    content_disposition,
    display_name,
    with_extension,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/www/laporan.pdf", "laporan.pdf"),
        ("C:\\Users\\admin\\Desktop\\SK Tim.pdf", "SK Tim.pdf"),
        ("C:bukti.png", "bukti.png"),
        ("folder/sub/..", FALLBACK),
        ("uploads/", FALLBACK),
    ],
)
def test_directory_parts_are_dropped(raw, expected):
    assert display_name(raw) == expected


def test_control_characters_and_nul_are_removed():
    assert display_name("lap\x00or\x08an\x7f 2024.pdf") == "laporan 2024.pdf"
    assert display_name("SK\r\nSet-Cookie: a=b.pdf") == "SK Set-Cookie: a=b.pdf"


def test_bidi_overrides_cannot_disguise_the_extension():
    # Shown naively, this reads "invoiceexe.pdf".
    shown = display_name("invoice\u202efdp.exe")
    assert shown == "invoicefdp.exe"
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", display_name(
        "\u2066a\u2067b\u2068c\u2069d\u202ae\u202bf\u202cg\u200eh\u200f.pdf"
    ))


def test_unicode_is_nfc_and_whitespace_collapsed():
    assert display_name("  Profil  Kelurahan\tCibeunying\u2028Kidul.pdf  ") == (
        "Profil Kelurahan Cibeunying Kidul.pdf"
    )
    assert display_name("Pe\u0301ta.pdf") == "P\u00e9ta.pdf"


@pytest.mark.parametrize("raw", ["", "   ", "..", "...", "\x00\x01", "\u202e", "/"])
def test_never_empty(raw):
    assert display_name(raw) == FALLBACK


def test_long_names_are_cut_keeping_the_extension():
    shown = display_name("Laporan " * 60 + ".xlsx")
    assert len(shown) <= MAX_LENGTH
    assert shown.endswith("Laporan.xlsx") or shown.endswith(".xlsx")
    assert not shown[: -len(".xlsx")].endswith(" ")


def test_long_name_without_extension_is_cut():
    assert display_name("a" * 500) == "a" * MAX_LENGTH


def test_content_disposition_attachment_with_utf8_name():
    header = content_disposition("Peta Ketersediaan – Kecamatan Coblong.pdf")
    assert header.startswith("attachment; ")
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert "  " not in fallback
    assert unquote(encoded) == "Peta Ketersediaan – Kecamatan Coblong.pdf"
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded)


def test_content_disposition_inline():
    assert content_disposition("foto.png", inline=True).startswith("inline; ")


def test_content_disposition_quotes_and_newlines_cannot_break_the_header():
    header = content_disposition('a"; filename="evil.html\r\nSet-Cookie: x=1.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    assert '"' not in fallback and "\\" not in fallback


def test_content_disposition_non_latin_name_gets_a_usable_fallback():
    header = content_disposition("\u65e5\u672c\u8a9e.pdf")
    assert 'filename="berkas.pdf"' in header
    assert unquote(header.split("''", 1)[1]) == "\u65e5\u672c\u8a9e.pdf"


def test_content_disposition_cleans_paths_too():
    header = content_disposition("../../etc/passwd")
    assert 'filename="passwd"' in header


@pytest.mark.parametrize(("raw", "expected"), [
    ("ok-as-html.html", "ok-as-html.pdf"),
    ("x.pdf.html", "x.pdf"),
    ("x.html.htm", "x.pdf"),
    ("laporan.PDF", "laporan.PDF"),
    ("Laporan v1.2", "Laporan v1.2.pdf"),
    ("tanpa-ekstensi", "tanpa-ekstensi.pdf"),
    (".html", "html.pdf"),
    ("...", "berkas.pdf"),
    ("invoice\u202eLMTH.pdf", "invoiceLMTH.pdf"),
])
def test_download_extension_follows_the_checked_kind(raw, expected):
    assert with_extension(raw, ".pdf") == expected


def test_other_spellings_of_the_kind_may_stay():
    assert with_extension("foto.jpeg", ".jpg", (".jpeg",)) == "foto.jpeg"
    assert with_extension("foto.jpeg.svg", ".jpg", (".jpeg",)) == "foto.jpeg"
    assert with_extension("foto.png", ".jpg", (".jpeg",)) == "foto.jpg"
