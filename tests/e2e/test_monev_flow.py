"""A real Chromium: template download → fill → upload → preview with one rejected row →
skip it → confirm → the new values on the category's monev and ranking pages."""

from __future__ import annotations

import openpyxl

from judging.plugin_setup import methods
from judging.scoring.types import CategorySettings, CohortEntry
from tests.fixtures.worlds.monev_world import World

FILLED = {  # entrant code -> Laporan Masuk, Ditindaklanjuti, Selesai, Tepat Waktu, Hari
    "KEL-001": (200, 180, 150, 120, 2.5),
    "KEL-002": (80, 80, 60, 60, 1),
    "KEL-003": (50, 40, 75, 10, 3),  # Selesai (75) > Laporan Masuk (50): rejected
}
KEYS = ("laporan_masuk", "ditindaklanjuti", "selesai", "selesai_tepat_waktu",
        "rata_hari_respons")


def fill_template(path) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    for row in range(5, sheet.max_row + 1):
        values = FILLED.get(sheet.cell(row, 1).value)
        for offset, value in enumerate(values or ()):
            sheet.cell(row, 3 + offset, value)
    workbook.save(path)


def expected_monev(code: str) -> str:
    """The monev component the method gives the filled numbers (independent of the app)."""
    method = methods().get("complaint_handling")
    cohort = [CohortEntry(1, code, dict(zip(KEYS, map(float, FILLED[code]), strict=True)))]
    score = method.score(cohort, CategorySettings(weights={}))[1]
    return f"{score.components['monev']:.2f}".replace(".", ",")  # Indonesian decimal comma


def test_organizer_imports_a_filled_template_skipping_one_bad_row(live_server, page, login,
                                                                  make, tmp_path):
    world = World(make)
    for entry in world.entries.values():
        entry.status = "submitted"
    make.commit()
    base = live_server.url
    login(page, "org@juara.test")
    page.wait_for_url("**/organizer/")

    page.goto(f"{base}/organizer/categories/{world.category.id}")
    page.click("#category-monev")
    page.wait_for_url("**/monev")
    with page.expect_download() as download:
        page.click("#monev-template")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    fill_template(path)

    page.set_input_files("#workbook", str(path))
    page.click("#monev-upload")
    page.wait_for_url("**/monev/batches/*")
    rejected = page.locator("#monev-rejected tbody tr")
    assert rejected.count() == 1
    assert rejected.first.get_attribute("data-row") == "7"
    assert "'Selesai' (75) lebih besar dari 'Laporan Masuk' (50)" in rejected.first.inner_text()
    assert page.locator("#monev-rows-valid").inner_text() == "2"
    confirm = page.locator("#monev-confirm")
    assert confirm.is_disabled()

    page.check("#skip_invalid")
    assert confirm.is_enabled()
    confirm.click()
    page.wait_for_selector(".flash-success")
    assert "Data monev disimpan." in page.locator(".flash-success").inner_text()

    page.goto(f"{base}/organizer/categories/{world.category.id}/monev")
    row = page.locator('#monev-values tr[data-entrant="KEL-001"]')
    assert row.locator('td[data-key="laporan_masuk"]').inner_text() == "200"
    assert row.locator('td[data-key="rata_hari_respons"]').inner_text() == "2,5"
    untouched = page.locator('#monev-values tr[data-entrant="KEL-003"] td[data-key="selesai"]')
    assert untouched.inner_text() == "–"

    page.goto(f"{base}/organizer/categories/{world.category.id}/ranking")
    for code in ("KEL-001", "KEL-002"):
        line = page.locator(f'#ranking tr[data-entry="{world.entries[code].code}"]')
        assert expected_monev(code) in line.locator("td.num").nth(1).inner_text()
