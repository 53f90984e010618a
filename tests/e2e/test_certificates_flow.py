"""In Chromium: an organizer generates certificates, downloads the ZIP, and the public
verification page confirms a code from it."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import Certificate
from tests.fixtures.worlds.certificates_world import CONFIG, build_world, pdf_text


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG}


def test_organizer_generates_downloads_and_a_code_verifies(live_server, page, login, make,
                                                          tmp_path):
    world = build_world(make)
    login(page, world.organizer.email)
    page.wait_for_url("**/organizer/")

    page.goto(f"{live_server.url}/organizer/competitions/{world.comp.id}/certificates")
    page.check("input[name=participation]")
    page.click("#generate")
    page.wait_for_url("**/organizer/jobs/*")
    page.wait_for_function("document.getElementById('job-progress').value === 100")
    assert page.locator("#job-percent").inner_text() == "100%"
    assert page.locator("#job-state").inner_text() == "Selesai"

    with page.expect_download() as info:
        page.click("#job-download")
    saved = tmp_path / "sertifikat.zip"
    info.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    names = archive.namelist()
    # three winners, and participation only for the entry without an award
    assert len(names) == 4 and names[0].startswith("IKP-2023-MS-001_")
    assert "Kelurahan Sukamaju" in pdf_text(archive.read(names[0]))

    db.session.rollback()
    code = db.session.scalar(select(Certificate.code).where(
        Certificate.serial == "IKP-2023/MS/001"))
    page.goto(live_server.url + "/")
    page.fill("#verify-code", code.lower())
    page.click("#verify-form button[type=submit]")
    page.wait_for_url(f"**/verify/{code}")
    assert page.locator("#verify-pending h2").inner_text() == "Hasil belum diumumkan"
    assert page.locator("#verify-entrant").count() == 0  # nothing shown before publication

    world.comp.phase = "published"
    db.session.commit()
    page.reload()
    assert page.locator("#verify-valid h2").inner_text() == "Sertifikat sah"
    assert page.locator("#verify-entrant").inner_text() == "Kelurahan Sukamaju"
    assert page.locator("#verify-award").inner_text().startswith("Peringkat Pertama")
    assert page.locator("#verify-competition").inner_text() == "IKP Fest 2023"

    page.goto(live_server.url + "/verify/ZZZZZZZZZZZZZZZZZZZZ")
    assert page.locator("#verify-unknown h2").inner_text() == "Kode tidak dikenal"
