"""An organizer in Chromium: from an empty database to a competition in judging.

The database holds only the organizer's account and organising body. Everything else
(competition, three categories — one per built-in method —, entrants from an Excel
list, enrolment, jurors, phase steps) is done through the browser.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import func, select, update

from judging.extensions import db
from judging.models import Assignment, Category, Competition, Entry, Invitation
from judging.models.types import utcnow
from judging.sqlite_locks import write_intent

CATEGORIES = [
    ("Pengaduan SP4N-LAPOR! Kelurahan", "PP", "complaint_handling", "kelurahan"),
    ("Media Sosial Kecamatan", "MS", "social_media", "kecamatan"),
    ("Keterbukaan Informasi OPD", "KIP", "information_disclosure", "opd"),
]
ENTRANTS = [
    ("KEL-001", "Kelurahan Cihapit", "Kelurahan", "Bandung Wetan"),
    ("KEL-002", "Kelurahan Tamansari", "Kelurahan", "Bandung Wetan"),
    ("KEC-001", "Kecamatan Coblong", "Kecamatan", "Kota Bandung"),
    ("KEC-002", "Kecamatan Cicendo", "Kecamatan", "Kota Bandung"),
    ("OPD-001", "Dinas Kesehatan", "OPD", "Kota Bandung"),
    ("OPD-002", "Dinas Pendidikan", "OPD", "Kota Bandung"),
]


def entrant_workbook(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Kode", "Nama", "Tingkat", "Wilayah"])
    for row in ENTRANTS:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_organizer_builds_a_competition_up_to_judging(live_server, page, make, tmp_path):
    body = make.organisation(name="Diskominfo Kota Bandung", code="BDG")
    organizer = make.user("org@juara.test", name="Sari Penyelenggara")
    make.grant(organizer, "organizer", organisation_id=body.id)
    make.commit()
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm on phase steps

    page.goto(base + "/auth/login")
    page.fill("input[name=email]", "org@juara.test")
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/organizer/")

    # the competition
    page.click("#new-competition")
    page.fill("#name", "IKP Fest")
    page.fill("#year", "2030")
    page.fill("#code", "IKP-2030")
    page.select_option("#timezone", "Asia/Jakarta")
    page.fill("#submission_deadline", "2030-08-17T23:59")
    page.fill("#grace_minutes", "30")
    page.click("#save-competition")
    page.wait_for_url("**/organizer/competitions/*")
    competition_url = page.url
    assert "Belum ada kategori." in page.locator("#phase-blockers").inner_text()
    assert page.locator("#phase-forward").is_disabled()

    # three categories, one per built-in method
    for name, code, method, level in CATEGORIES:
        page.goto(competition_url)
        page.click("#add-category")
        page.fill("#name", name)
        page.fill("#code", code)
        page.select_option("#method_key", method)
        page.select_option("#level", level)
        page.click("#create-category")
        page.wait_for_url("**/categories/*/edit")
        page.click("#save-category")
        page.wait_for_url("**/organizer/categories/*")
    page.goto(competition_url)
    assert page.locator("#categories tbody tr").count() == 3

    # entrants from the Excel list, then enrolled into their categories
    page.click("nav.org-tabs >> text=Peserta")
    workbook = tmp_path / "peserta.xlsx"
    entrant_workbook(workbook)
    page.set_input_files("#workbook", str(workbook))
    page.click("#import-submit")
    page.locator("#import-summary", has_text="6 baru, 0 berubah").wait_for()
    page.click("#import-confirm")
    page.locator(".flash-success", has_text="6 baru").wait_for()
    assert page.locator("#entrant-list tbody tr").count() == 6

    for name, *_ in CATEGORIES:
        page.goto(competition_url)
        page.click(f"#categories >> text={name}")
        page.click("button[data-check-all]")
        page.click("#enrol-submit")
        page.locator(".flash-success", has_text="2 peserta didaftarkan").wait_for()
        assert page.locator("#entries tbody tr").count() == 2

    # open submissions
    page.goto(competition_url)
    page.click("#phase-forward")
    page.locator(".flash-success", has_text="Tahap sekarang: Pendaftaran").wait_for()

    # two jurors for every category, each with an invitation link to pass on
    for email, name in (("rina@juara.test", "Rina Kusumawati"), ("budi@juara.test", "Budi")):
        page.goto(competition_url)
        page.click("nav.org-tabs >> text=Juri")
        page.fill("#email", email)
        page.fill("#name", name)
        for box in page.locator("#juror-form input[name=categories]").all():
            box.check()
        page.click("#add-juror")
        assert "/auth/invitation/" in page.locator("#invitation-link").input_value()
        page.click("text=Kembali")
    assert page.locator("#assignments tbody tr").count() == 2

    # Participants submit entries through their own portal (another area); a judging
    # precondition is one submitted entry per category, so the test marks them here.
    db.session.rollback()
    write_intent.set(True)
    db.session.execute(update(Entry).values(status="submitted", submitted_at=utcnow()))
    db.session.commit()
    write_intent.set(False)

    page.goto(competition_url)
    assert page.locator("#phase-blockers").count() == 0
    page.click("#phase-forward")
    page.locator(".flash-success", has_text="Tahap sekarang: Penjurian").wait_for()
    assert "Penjurian" in page.locator("h1 .badge").inner_text()

    db.session.rollback()
    competition = db.session.scalar(select(Competition))
    assert competition.phase == "judging" and competition.grace_minutes == 30
    methods = sorted(db.session.scalars(select(Category.method_key)))
    assert methods == ["complaint_handling", "information_disclosure", "social_media"]
    codes = sorted(db.session.scalars(select(Entry.code)))
    assert codes == ["KIP-001", "KIP-002", "MS-001", "MS-002", "PP-001", "PP-002"]
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 6
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
