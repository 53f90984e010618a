"""Responses are compressed where it is safe and worth it."""

from __future__ import annotations

import gzip

import brotli

from tests.app.jury_world import build_world


def test_anonymous_pages_are_sent_with_brotli_or_gzip(client):
    response = client.get("/auth/login", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"csrf-token" in gzip.decompress(response.get_data())
    response = client.get("/auth/login", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"csrf-token" in brotli.decompress(response.get_data())


def test_without_accept_encoding_nothing_is_compressed(client):
    response = client.get("/auth/login")
    assert "Content-Encoding" not in response.headers
    assert b"csrf-token" in response.get_data()


def test_signed_in_pages_carrying_the_session_token_stay_uncompressed(web, make):
    world = build_world(make)
    web.login("juri@juara.test")
    response = web.get(f"/jury/entry/{world.entries[0].id}",
                       headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"csrf-token" in response.get_data()


def test_already_compressed_file_kinds_are_never_recompressed(app):
    kinds = app.config["COMPRESS_MIMETYPES"]
    assert "text/html" in kinds and "application/json" in kinds
    assert not any(word in kind for kind in kinds for word in ("pdf", "spreadsheet", "zip"))
