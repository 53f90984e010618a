"""What-if rankings on the organizer's page, in the JSON API and in the export."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Result
from tests.app.results_world import build_results_world, put_marks

# jurors 1 and 2 agree, juror 3 is harsh: A wins on the mean, B under z-score
ROWS = [
    ("Dinas A", 95, 90, (80,) * 4, (80,) * 4),
    ("Dinas B", 95, 90, (90,) * 4, (90,) * 4),
    ("Dinas C", 95, 90, (70,) * 4, (70,) * 4),
    ("Dinas D", 50, 40, (), ()),  # below the SAQ gate
]
HARSH = {0: 50, 1: 20, 2: 20}


def harsh_world(make, phase="moderation"):
    world = build_results_world(make, phase=phase, rows=ROWS)
    world.category.weights = {"website": 0, "saq": 0, "presentation": 100}
    harsh = make.juror(world.competition, [world.category], email="juri3@juara.test",
                       name="Juri Keras")
    for i, value in HARSH.items():
        put_marks(harsh, world.entries[i], world.category.criteria, (value,) * 4)
    make.commit()
    return world


def cells(html, code):
    row = re.search(rf'<tr class="whatif-row[^"]*" data-entry="{code}">(.*?)</tr>', html, re.S)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in
            re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_page_shows_every_method_side_by_side_with_changes_marked(app, make, web):
    world = harsh_world(make)
    web.login(world.organizer.email)
    html = web.get(f"/organizer/categories/{world.category.id}/ranking").get_data(as_text=True)
    assert 'id="whatif-table"' in html
    # columns: mean (in use), median, trimmed mean, z-score; totals under each rank
    assert cells(html, "BP01")[1:] == [["#1", "70,00"], ["#2", "▼1", "80,00"],
                                       ["#1", "70,00"], ["#2", "▼1", "75,50"]]
    assert cells(html, "BP02")[1:] == [["#2", "66,67"], ["#1", "▲1", "90,00"],
                                       ["#2", "66,67"], ["#1", "▲1", "78,33"]]
    assert 'class="whatif-row whatif-changed" data-entry="BP01"' in html
    assert 'class="whatif-row" data-entry="BP03"' in html
    assert "Peringkat 1 berbeda antar metode" in html
    assert "rata-rata terpangkas sama dengan rata-rata" in html
    # read-only: nothing stored, nothing audited
    assert db.session.scalar(select(func.count(Result.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_stable_note_in_both_languages(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    page = f"/organizer/categories/{world.category.id}/ranking"
    assert "Peringkat 1–3 sama di semua metode." in web.get(page).get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    html = web.get(page).get_data(as_text=True)
    assert "Places 1–3 are the same under every method." in html
    assert "Per-juror z-score" in html and "What if: other aggregation methods" in html
    data = web.get(f"/api/categories/{world.category.id}/whatif").json
    assert data["stable"] is True
    assert data["note"] == {"id": "Peringkat 1–3 sama di semua metode.",
                            "en": "Places 1–3 are the same under every method."}


def test_json_api_gives_every_variant_for_organizers_only(app, make, web):
    world = harsh_world(make)
    stranger = make.organizer(make.competition(), email="lain@juara.test")
    make.commit()
    url = f"/api/categories/{world.category.id}/whatif"
    assert web.get(url).status_code in (302, 401)
    web.login(stranger.email)
    assert web.get(url).status_code == 403
    web.logout()
    web.login(world.organizer.email)
    data = web.get(url).json
    assert [v["key"] for v in data["variants"]] == ["mean", "median", "trimmed", "zscore"]
    assert data["current"] == "mean" and data["stable_places"] == 0
    first, second = data["lines"][:2]
    assert first["entrant_code"] == "BP01" and first["ranks"] == {
        "mean": 1, "median": 2, "trimmed": 1, "zscore": 2}
    assert second["totals"]["zscore"] == "78.33" and second["changed"] is True
    assert data["trimmed_note"]["en"].startswith("With fewer than 4 jurors")


def test_export_has_a_method_comparison_sheet(app, make):
    from openpyxl import load_workbook

    from judging.results.export import ranking_workbook

    world = harsh_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(world.competition)), read_only=True)
    sheet = next(name for name in book.sheetnames if name.startswith("Bagaimana jika"))
    rows = [[c for c in row] for row in book[sheet].iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "Kategori")
    assert header[:4] == ["Kategori", "Kode peserta", "Peserta", "Rata-rata"]
    b = next(r for r in rows if len(r) > 1 and r[1] == "BP02")
    by_header = dict(zip(header, b, strict=False))
    assert by_header["Rata-rata"] == 2 and by_header["Skor-z per juri"] == 1
    assert by_header["Nilai Skor-z per juri"] == 78.33
    assert by_header["Berubah"] == "ya"
