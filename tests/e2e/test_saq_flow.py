"""KIP e-monev in Chromium: fill → submit → verify → object → resolve → the ranking uses
the verified SAQ and its ≥ 65 gate."""

from __future__ import annotations

from judging.extensions import db
from judging.saq import filling, verification
from tests.fixtures.worlds.saq_world import PDF, build

PASSWORD = "correct horse battery"


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state()


def weak_saq(world):
    """The other body: filled and verified below the gate (27.5) through the services."""
    entry = world.other
    for key, value in {"A1": "ya", "A2": "2", "B1": "3", "B2": "90"}.items():
        filling.save_value(entry, world.question(key), value)
    for key in ("A1", "A2"):
        filling.save_link(entry, world.question(key), "https://ppid.lemah.example.go.id/x")
    filling.submit(entry, world.questionnaire)
    answers = filling.answers_by_question(
        filling.response_for(entry, world.questionnaire, create=False))
    for key, decision in {"A1": "accepted", "A2": "rejected", "B1": "accepted",
                          "B2": "rejected"}.items():
        verification.decide(answers[world.question(key).id], decision, score=None,
                            reason="" if decision == "accepted" else "Tidak terbukti",
                            verifier_id=world.verifier.id)


def saved(section):
    section.locator(".save-status", has_text="Tersimpan").wait_for()


def test_saq_fill_verify_object_resolve_rank(live_server, page, make):
    world = build(make)
    world.entry.status = world.other.status = "submitted"
    weak_saq(world)
    make.commit()
    base, entry = live_server.url, world.entry
    saq = f"{base}/participant/entries/{entry.id}/saq"

    log_in(page, base, world.body.email)
    page.goto(f"{saq}/berkala")
    a1 = page.locator("#q-A1")
    a1.locator("input[value=ya]").check()
    saved(a1)
    a1.locator("input[type=file]").set_input_files(
        {"name": "Profil PPID.pdf", "mimeType": "application/pdf", "buffer": PDF})
    a1.locator("form[enctype] button").click()
    page.locator("#q-A1 .evidence-line a", has_text="Profil PPID.pdf").wait_for()
    a2 = page.locator("#q-A2")
    a2.locator("select[name=value]").select_option(label="Sebagian")
    saved(a2)
    a2.locator("input[name=url]").fill("https://ppid.kuat.example.go.id/laporan")
    a2.locator("button", has_text="Simpan tautan").click()
    page.locator("#q-A2 .evidence-line a", has_text="laporan").wait_for()
    assert "2/2" in page.locator("[data-group=berkala] .group-progress").inner_text()
    page.click("[data-group=ppid]")
    for key, value in (("B1", "3"), ("B2", "80")):
        section = page.locator(f"#q-{key}")
        section.locator("input[name=value]").fill(value)
        saved(section)
    page.click("#saq-submit")
    page.locator("#saq-submitted").wait_for()

    log_in(page, base, world.verifier.email)
    page.goto(f"{base}/jury/verification")
    page.click(f"#verification-queue a:has-text('{entry.entrant.name}')")
    decide(page, "A1", "accepted")
    decide(page, "A2", "rejected", reason="Tautan tidak memuat laporan")
    page.click("nav.org-tabs a:has-text('Komitmen PPID')")
    decide(page, "B1", "accepted")
    decide(page, "B2", "accepted")
    # (2×100 + 3×0 + 1×75 + 4×80) / 10 = 59.5: below the gate before masa sanggah
    assert page.locator("#verified-score").inner_text() == "59,5"

    log_in(page, base, world.organizer.email)
    page.goto(f"{base}/organizer/categories/{world.category.id}/saq")
    page.click("#sanggah-open")
    page.locator("#sanggah-state").wait_for()

    log_in(page, base, world.body.email)
    page.goto(f"{saq}/berkala")
    assert "Tautan tidak memuat laporan" in page.locator("#verification-A2").inner_text()
    assert world.verifier.name not in page.content()
    form = page.locator("#q-A2 form.objection-form")
    form.locator("textarea[name=reason]").fill("Laporan ada di halaman unduhan")
    form.locator("input[name=url]").fill("https://ppid.kuat.example.go.id/unduhan")
    form.locator("button").click()
    page.locator("#q-A2 .objection-outcome", has_text="Menunggu keputusan").wait_for()

    log_in(page, base, world.verifier.email)
    page.goto(f"{base}/jury/verification")
    page.click(f"#verification-queue a:has-text('{entry.entrant.name}')")
    resolve = page.locator("#q-A2 form.resolve-form")
    resolve.locator("select[name=outcome]").select_option("upheld")
    resolve.locator("input[name=resolution]").fill("Laporan ditemukan")
    resolve.locator("button").click()
    assert page.locator("#verified-score").inner_text() == "74,5"

    log_in(page, base, world.organizer.email)
    page.goto(f"{base}/organizer/categories/{world.category.id}/saq")
    page.click("#sanggah-close")
    page.locator("#sanggah-state", has_text="dibekukan").wait_for()
    page.goto(f"{base}/organizer/categories/{world.category.id}/ranking")
    strong = page.locator(f"tr.ranking-row[data-entry='{entry.code}']")
    weak = page.locator(f"tr.ranking-row[data-entry='{world.other.code}']")
    assert "74,50" in strong.inner_text()
    assert "27,50" in weak.inner_text()
    assert "ranking-out" not in strong.get_attribute("class")
    assert "ranking-out" in weak.get_attribute("class")  # SAQ 27.5 < 65: does not present
    db.session.expire_all()


def decide(page, key, decision, reason=""):
    form = page.locator(f"#q-{key} form.decide-form")
    form.locator("select[name=decision]").select_option(decision)
    if reason:
        form.locator("input[name=reason]").fill(reason)
    form.locator("button").click()
    page.locator(f"#q-{key} .decision").wait_for()
