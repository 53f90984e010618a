"""In Chromium: bulk invite from a list → read the message in the outbox → accept through its link.

The site administrator (who also organizes) uploads a CSV, checks the preview, confirms;
the invitation lands in the embedded outbox; a second browser (the juror's) opens the
link from the message, sets a password and arrives signed in at the jury pages.
"""

from __future__ import annotations

from sqlalchemy import select

from judging.extensions import db
from judging.models import Message, User

LIST = "Nama,Email,Peran,Kode peserta,Kategori\nJuri Satu,juri.satu@juara.test,juri,,\n" \
       "Tanpa Peran,x@juara.test,,,\n"


def test_bulk_invite_then_accept_from_the_outbox(live_server, page, chromium, make, tmp_path):
    body = make.organisation(name="Diskominfo Kota Bandung", code="BDG")
    admin = make.user("admin@juara.test", name="Admin Situs", is_admin=True)
    make.grant(admin, "organizer", organisation_id=body.id)
    competition = make.competition(body, name="IKP Fest", year=2026)
    make.commit()
    base = live_server.url
    listing = tmp_path / "daftar.csv"
    listing.write_text(LIST, encoding="utf-8")

    page.goto(base + "/auth/login")
    page.fill("input[name=email]", "admin@juara.test")
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/organizer/admin")  # the site administrator's own start page

    page.goto(f"{base}/organizer/competitions/{competition.id}/invitations")
    page.set_input_files("#upload", str(listing))
    page.click("#bulk-upload button[type=submit]")
    assert "1 akun baru" in page.inner_text("#count-new")
    assert "1 baris bermasalah" in page.inner_text("#count-errors")
    assert "Peran tidak dikenal" in page.inner_text("#bulk-errors")
    page.click("#bulk-confirm")
    page.wait_for_url("**/organizer/jobs/**")
    page.wait_for_selector("#job-done:not([hidden])")

    page.goto(f"{base}/organizer/competitions/{competition.id}/mail")
    assert page.inner_text("#count-sent") == "1"

    page.goto(base + "/organizer/outbox")
    page.click("#outbox-table a:has-text('Undangan menjadi juri IKP Fest')")
    assert "juri.satu@juara.test" in page.inner_text("#outbox-message")
    link = page.get_attribute("#message-links a[href*='/auth/invitation/']", "href")
    assert link.startswith(base + "/auth/invitation/")

    juror_context = chromium.new_context(locale="id-ID")
    try:
        juror_page = juror_context.new_page()
        juror_page.set_default_timeout(15_000)
        juror_page.goto(link)
        juror_page.fill("input[name=name]", "Juri Satu")
        juror_page.fill("input[name=password]", "kata sandi yang panjang")
        juror_page.fill("input[name=confirm]", "kata sandi yang panjang")
        juror_page.click("button:has-text('Simpan kata sandi')")
        juror_page.wait_for_url("**/jury/", timeout=30_000)
    finally:
        juror_context.close()
    db.session.rollback()  # end the test thread's read snapshot
    juror = db.session.scalar(select(User).where(User.email == "juri.satu@juara.test"))
    assert juror.password_hash
    assert db.session.scalar(select(Message.status).where(Message.user_id == juror.id)) == "sent"
