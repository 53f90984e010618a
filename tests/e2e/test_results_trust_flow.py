"""Chromium: Final is refused while data is missing unless an override reason is given, and a
certificate's verification page keeps the name it was issued with after an entrant import."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from judging.certificates import issue
from judging.extensions import db
from judging.jobs import enqueue
from judging.models import Certificate, Entrant
from tests.app.results_world import build_results_world
from tests.app.test_certificates_world import CONFIG, build_world
from tests.app.test_results_readiness import _strip


def _login(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/organizer/")


def test_final_with_missing_data_is_refused_until_an_override_reason(live_server, page, make):
    world = build_results_world(make, phase="moderation")
    _strip(world, monev_entry=world.entries[1])
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, base, world.organizer.email)
    competition_url = f"{base}/organizer/competitions/{world.competition.id}"
    page.goto(competition_url)
    assert page.locator("#phase-all-met").count() == 0
    gaps = page.inner_text("#phase-readiness")
    assert "monev" in gaps and world.entries[1].code in gaps

    # the browser asks for the reason first; without it the server refuses too
    page.click("#phase-forward")
    assert page.locator("#override:invalid").count() == 1
    page.evaluate("document.getElementById('override').removeAttribute('required')")
    page.click("#phase-forward")
    page.locator(".flash-error", has_text="alasan pengecualian").wait_for()
    db.session.rollback()
    assert db.session.get(type(world.competition), world.competition.id).phase == "moderation"

    page.goto(competition_url)
    page.fill("#override", "Rapat pleno memutuskan tetap diumumkan")
    page.click("#phase-forward")  # a job freezes the ranking with the override kept
    page.wait_for_url("**/organizer/jobs/**")
    page.wait_for_selector("#job-done", state="visible")
    page.click("text=Kembali")
    page.click("nav.org-tabs >> text=Peringkat")
    page.wait_for_url("**/rankings")
    page.click(".ranking-summary h2 a")
    override = page.inner_text("#ranking-override")
    assert "Rapat pleno memutuskan tetap diumumkan" in override


@pytest.fixture
def app_config(app_config, request):
    if request.node.name.startswith("test_verification"):
        return {**app_config, **CONFIG}
    return app_config


def test_verification_after_an_entrant_import_rename_shows_the_issued_name(
        live_server, page, make, tmp_path):
    world = build_world(make)
    enqueue(issue.GENERATE_KIND, competition_id=world.comp.id, user_id=world.organizer.id,
            params={"competition_id": world.comp.id})
    world.comp.phase = "published"
    db.session.commit()
    cert = db.session.scalar(select(Certificate).where(Certificate.serial == "IKP-2023/MS/001"))
    entrant = db.session.get(Entrant, cert.entry.entrant_id)
    assert entrant.name == "Kelurahan Sukamaju"
    make.grant(world.organizer, "organizer", organisation_id=entrant.organisation_id)
    make.commit()

    book = Workbook()
    book.active.append(["Kode", "Nama", "Tingkat", "Wilayah"])
    book.active.append([entrant.code, "Kelurahan Sukamaju Baru", entrant.level, entrant.region])
    listing = tmp_path / "peserta.xlsx"
    book.save(listing)
    _login(page, live_server.url, world.organizer.email)
    page.goto(f"{live_server.url}/organizer/organisations/{entrant.organisation_id}/entrants")
    page.set_input_files("#workbook", str(listing))
    page.click("#import-submit")
    assert "Kelurahan Sukamaju Baru" in page.inner_text("#changed-rows")
    page.click("#import-confirm")
    page.locator(".flash-success", has_text="1 diperbarui").wait_for()

    page.goto(f"{live_server.url}/verify/{cert.code}")
    assert page.locator("#verify-valid h2").inner_text() == "Sertifikat sah"
    assert page.locator("#verify-entrant").inner_text() == "Kelurahan Sukamaju"
    assert "Kelurahan Sukamaju Baru" not in page.content()
