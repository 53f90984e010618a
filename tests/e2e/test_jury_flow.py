"""A juror in Chromium: declares a conflict, drafts, watches the score, submits."""

from __future__ import annotations

from sqlalchemy import select

from judging.extensions import db
from judging.models import ConflictDeclaration, Scoresheet


def test_juror_declares_a_conflict_drafts_and_submits(live_server, page, login, make):
    competition = make.competition(phase="judging", name="IKP Fest")
    category = make.category(competition, name="Keterbukaan Informasi OPD")
    kin, judged = (make.entry(category, status="submitted") for _ in range(2))
    make.juror(competition, [category], email="juri@juara.test", name="Juri Satu")
    make.commit()
    base = live_server.url

    login(page, "juri@juara.test")
    page.wait_for_url("**/jury/")
    page.click(f"text={competition.name}")
    page.wait_for_url(f"**/jury/competition/{competition.id}")

    page.locator(f'tr[data-entry="{kin.code}"] a', has_text="Nyatakan konflik").click()
    page.fill("textarea[name=reason]", "Kepala dinasnya kakak saya")
    page.click("#conflict-confirm")
    page.locator(".flash-success", has_text="Konflik kepentingan tercatat").wait_for()
    assert page.locator(f'tr[data-entry="{kin.code}"]').count() == 0

    page.locator(f'tr[data-entry="{judged.code}"] a', has_text=judged.entrant.name).click()
    page.wait_for_url(f"**/jury/entry/{judged.id}")
    inputs = page.locator("input.mark-input")
    assert inputs.count() == 4
    inputs.nth(0).fill("80")
    inputs.nth(1).fill("70")
    assert page.locator("#jury-score").inner_text() == "–"
    page.click("#save-draft")
    page.locator(".flash-success", has_text="Draf tersimpan").wait_for()
    assert page.locator(".badge[data-status]").first.inner_text() == "Draf"

    inputs = page.locator("input.mark-input")
    inputs.nth(2).fill("90")
    inputs.nth(3).fill("65.5")
    assert page.locator("#jury-score").inner_text() == "76,38"  # (80+70+90+65.5)/4
    page.click("#submit-sheet")
    page.locator(".flash-success", has_text="Penilaian terkirim").wait_for()
    assert page.locator("#jury-score").inner_text() == "76,38"

    page.goto(f"{base}/jury/competition/{competition.id}")
    status = page.locator(f'tr[data-entry="{judged.code}"] .badge')
    assert status.inner_text() == "Terkirim"
    assert status.get_attribute("data-status") == "submitted"

    db.session.rollback()  # a fresh snapshot: the server wrote since
    conflict = db.session.scalar(select(ConflictDeclaration))
    assert conflict.entry_id == kin.id and conflict.reason == "Kepala dinasnya kakak saya"
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.entry_id == judged.id))
    assert sheet.status == "submitted"
