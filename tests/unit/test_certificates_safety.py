"""Hostile text stays text: no fetch outside the allowlist, no attachments, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import weasyprint

from judging.io.certificates import render as cert_render
from judging.io.certificates.fetcher import ResourceFetcher, ResourceRefused
from judging.io.certificates.pdfs import CertificateDesign, Signatory, render_certificate
from tests.unit.test_certificates_helpers import (
    RESOURCES,
    embedded_file_count,
    make_context,
    page_texts,
    png_bytes,
)

HOSTILE = [
    "<link rel=attachment href=file:///etc/passwd>",
    "url(file:///etc/passwd)",
    "<img src=http://127.0.0.1:9/>",
    "<style>@import url(http://127.0.0.1:9/x.css)</style>",
    "{{ 7 * 7 }} {% raw %}",
]


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


def connected(server) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("layout", ["klasik", "modern"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_printed_literally_and_fetches_nothing(hostile, layout):
    ctx = make_context(
        entrant_name=hostile,
        organiser_name=f"Dinas {hostile}",
        award=hostile,
        band=hostile,
        place=hostile,
        extra={hostile: hostile},
        signatories=[Signatory(hostile, hostile, "ttd-kepala.png")],
    )
    log = []
    pdf = render_certificate(ctx, CertificateDesign(layout), resources=RESOURCES, fetch_log=log)

    (text,) = page_texts(pdf)
    assert " ".join(hostile.split()) in text
    assert {a.url for a in log} == {"resource:logo.png", "resource:ttd-kepala.png"}
    assert all(a.served for a in log)
    assert embedded_file_count(pdf) == 0
    assert b"/EmbeddedFiles" not in pdf


def test_embedded_file_check_detects_an_attachment():
    """Control: plain WeasyPrint honours rel=attachment, so the check above can fail."""
    html = '<p>x</p><link rel="attachment" href="data:text/plain,rahasia">'
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert embedded_file_count(pdf) == 1


def test_markup_that_slipped_through_still_cannot_fetch_or_attach(listener):
    """Defence in depth: even raw hostile markup reaching WeasyPrint is contained."""
    port = listener.getsockname()[1]
    html = f"""<html><head>
      <link rel="attachment" href="resource:logo.png">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">
      <style>@import url(http://127.0.0.1:{port}/b.css);
             body {{ background: url(file:///etc/passwd) }}</style></head>
      <body><img src="http://127.0.0.1:{port}/c.png"><img src="file:///etc/hostname">
      <img src="data:image/png;base64,iVBORw0KGgo="><img src="resource:rahasia.png">
      <a rel="attachment" href="resource:logo.png">lampiran</a>
      <img src="resource:logo.png"></body></html>"""
    log = []
    pdf = cert_render.write_pdf(html, RESOURCES, attempts=log)

    assert not connected(listener)
    assert embedded_file_count(pdf) == 0
    assert b"/EmbeddedFiles" not in pdf
    served = [a.url for a in log if a.served]
    refused = {a.url for a in log if not a.served}
    assert set(served) <= {"resource:logo.png"}
    assert {
        f"http://127.0.0.1:{port}/a.css",
        f"http://127.0.0.1:{port}/b.css",
        f"http://127.0.0.1:{port}/c.png",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "resource:rahasia.png",
    } <= refused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.com/logo.png",
        "ftp://127.0.0.1/x",
        "data:image/png;base64,iVBORw0KGgo=",
        "resource:../etc/passwd",
        "resource:",
        "RESOURCE:logo.png",
        "logo.png",
    ],
)
def test_fetcher_refuses_and_records(url):
    fetcher = ResourceFetcher(RESOURCES)
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)
    with pytest.raises(ResourceRefused):
        fetcher.open(url)
    assert [(a.url, a.served) for a in fetcher.attempts] == [(url, False), (url, False)]


def test_fetcher_serves_allowlisted_bytes_and_paths(tmp_path: Path):
    image = png_bytes(5, 5)
    (tmp_path / "ttd.png").write_bytes(image)
    fetcher = ResourceFetcher({"logo.png": image, "ttd.png": tmp_path / "ttd.png"})
    for name in ("logo.png", "ttd.png"):
        response = fetcher.fetch(f"resource:{name}")
        assert response.read() == image
        assert response.content_type == "image/png"
    assert [a.served for a in fetcher.attempts] == [True, True]


def test_harfbuzz_subset_is_found_here():
    """The machine's install step provides libharfbuzz-subset0 (fast font subsetting)."""
    assert cert_render.harfbuzz_subset_available()
