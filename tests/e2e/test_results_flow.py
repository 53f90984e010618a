"""Chromium: an organizer finalises, downloads the export, publishes; a visitor sees winners.

The phase changes go through the organizer's own phase button on the competition page.
"""

import io

from openpyxl import load_workbook

from tests.app.results_world import build_results_world


def test_finalise_export_publish_and_a_visitor_sees_the_winners(live_server, page, chromium,
                                                               make):
    world = build_results_world(make, phase="moderation")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(base + "/auth/login")
    page.fill("input[name=email]", world.organizer.email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/organizer/")

    page.goto(f"{base}/organizer/competitions/{world.competition.id}")
    page.click("#phase-forward")  # moderation → final: a job freezes the ranking
    page.wait_for_url("**/organizer/jobs/**")
    page.wait_for_selector("#job-done", state="visible")
    assert "Tahap sekarang: final." in page.inner_text("#job-message")
    page.click("text=Kembali")
    page.wait_for_url(f"**/organizer/competitions/{world.competition.id}")
    page.click("nav.org-tabs >> text=Peringkat")
    page.wait_for_url("**/rankings")
    assert "Peringkat Pertama" in page.inner_text(".ranking-summary")
    page.click(".ranking-summary h2 a")
    assert "Hasil beku sejak" in page.inner_text("#ranking-state")
    page.go_back()

    page.click("#export-all")
    page.wait_for_url("**/organizer/jobs/**")
    with page.expect_download() as info:
        page.click("#job-download")
    download = info.value
    assert download.suggested_filename == "Peringkat-KIP-2026.xlsx"
    with open(download.path(), "rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    assert wb["Ringkasan"]["F5"].value == "Dinas Kominfo"
    assert wb["Ringkasan"]["G5"].value == 90.5

    page.goto(f"{base}/organizer/competitions/{world.competition.id}")
    page.click("#phase-forward")  # final → published
    page.wait_for_selector(".flash-success")

    visitor = chromium.new_context(locale="id-ID")
    try:
        anonymous = visitor.new_page()
        anonymous.goto(base + "/")
        anonymous.click("text=Monev KIP")
        anonymous.wait_for_url(f"**/results/{world.competition.id}")
        winners = anonymous.inner_text(".winner-list")
        assert winners.index("Dinas Kominfo") < winners.index("Dinas Kesehatan")
        assert "Peringkat Pertama" in winners and "Informatif" in winners
        assert "Juri Nama" not in anonymous.content()
    finally:
        visitor.close()
