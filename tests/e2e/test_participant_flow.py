"""A participant fills and submits an entry in Chromium; a juror then opens its evidence."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from judging.extensions import db
from judging.models import Evidence

PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def log_in(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")


def upload_in_browser(page, name, mime, data):
    form = page.locator("#slot-general form.upload-form")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})
    form.locator("button[type=submit]").click()
    page.locator(".evidence-name", has_text=name).wait_for()


def test_participant_submits_and_juror_opens_the_evidence(live_server, page, chromium, make):
    competition = make.competition(phase="open", name="IKP Fest")
    category = make.category(competition, name="Keterbukaan Informasi OPD")
    entry = make.entry(category)
    make.participant(entry.entrant, email="peserta@juara.test")
    make.juror(competition, [category], email="juri@juara.test")
    make.commit()
    base = live_server.url

    log_in(page, base, "peserta@juara.test")
    page.wait_for_url("**/participant/")
    assert page.locator(".countdown").inner_text().endswith("lagi")
    page.click(f"#entry-{entry.id} a.button")
    page.wait_for_url(f"**/participant/entries/{entry.id}")

    upload_in_browser(page, "Laporan PPID.pdf", "application/pdf", PDF)
    upload_in_browser(page, "Foto Layanan.png", "image/png", png())

    link_form = page.locator("#slot-general form.link-form")
    link_form.locator("input[name=url]").fill("https://instagram.com/ppid.contoh")
    link_form.locator("input[name=label]").fill("Instagram PPID")
    link_form.locator("button[type=submit]").click()
    page.locator(".evidence-link", has_text="Instagram PPID").wait_for()

    page.click("#submit-entry")
    page.locator(".flash-success", has_text="berhasil dikirim").wait_for()
    assert page.locator("#entry-status").inner_text().strip() == "Terkirim"

    db.session.rollback()  # end the test thread's read snapshot; the server wrote since
    files = {e.original_name: e for e in db.session.scalars(
        select(Evidence).where(Evidence.entry_id == entry.id, Evidence.kind == "file"))}
    assert set(files) == {"Laporan PPID.pdf", "Foto Layanan.png"}

    juror_context = chromium.new_context(locale="id-ID")
    try:
        juror = juror_context.new_page()
        log_in(juror, base, "juri@juara.test")
        juror.wait_for_url("**/jury/**")
        image = files["Foto Layanan.png"]
        response = juror.goto(f"{base}/evidence/{image.id}?inline=1")
        assert response.status == 200
        assert response.headers["content-type"] == "image/png"
        assert response.headers["content-disposition"].startswith("inline;")
        assert juror.evaluate("document.images.length === 1 && document.images[0].naturalWidth")\
            == 40
        pdf = juror_context.request.get(f"{base}/evidence/"
                                        f"{files['Laporan PPID.pdf'].id}?inline=1")
        assert pdf.status == 200 and pdf.body() == PDF
        assert pdf.headers["content-security-policy"] == "default-src 'none'; sandbox"
    finally:
        juror_context.close()
