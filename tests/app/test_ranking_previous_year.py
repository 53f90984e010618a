"""Year over year: a competition copied to a new year shows last year's rank and total."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from judging.competitions.editing import copy_competition
from judging.extensions import db
from judging.models import IndicatorValue
from judging.results.freeze import freeze_results
from tests.fixtures.worlds.results_world import build_results_world, put_marks

# Last year (results_world; website 30, SAQ 40, jury 30): Kominfo 1st 90.50,
# Kesehatan 2nd 24 + 34 + 21.75 = 79.75, Pendidikan 3rd.
# This year Kesehatan does better and Kominfo worse; Perhubungan does not enter.
THIS_YEAR = {  # entrant index -> (SAQ, website, juror 1 marks, juror 2 marks)
    0: (80, 80, 70, 70),
    1: (95, 95, 90, 90),
    2: (80, 88, 60, 65),
}


def copied_world(make, *, show_rank_rise=False):
    """Last year frozen; this year copied from it, marked, in ``moderation``."""
    last = build_results_world(make, phase="final")
    freeze_results(last.competition)
    last.competition.show_rank_rise = show_rank_rise
    this = copy_competition(last.competition, name="Monev KIP", year=2027, code="KIP-2027")
    this.phase = "moderation"
    category = this.categories[0]
    make.grant(last.organizer, "organizer", competition_id=this.id)
    entries = []
    for i, (saq, web, j1, j2) in THIS_YEAR.items():
        entry = make.entry(category, last.entries[i].entrant, status="submitted",
                           code=f"BP-{i + 1:03d}")
        db.session.add_all([
            IndicatorValue(entry_id=entry.id, indicator_key="nilai_saq", value=Decimal(saq)),
            IndicatorValue(entry_id=entry.id, indicator_key="nilai_website", value=Decimal(web)),
        ])
        for juror, mark in zip(last.jurors, (j1, j2), strict=True):
            put_marks(juror, entry, category.criteria, (mark,) * 4)
        entries.append(entry)
    make.commit()
    return last, this, category, entries


def yoy_cells(html, code):
    row = re.search(rf'<tr class="ranking-row[^"]*" data-entry="{code}">(.*?)</tr>', html, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in cells[-2:]]


def test_copy_records_its_source(app, make):
    last, this, _, _ = copied_world(make)
    assert this.copied_from_id == last.competition.id


def test_ranking_page_shows_last_years_rank_total_and_change(app, make, web):
    last, this, category, entries = copied_world(make)
    web.login(last.organizer.email)
    html = web.get(f"/organizer/categories/{category.id}/ranking").get_data(as_text=True)
    assert "Tahun lalu (2026)" in html
    # Kesehatan: 2nd (79.75) last year, 1st now (28.50 + 38 + 27 = 93.50): up one, +13.75
    assert yoy_cells(html, entries[1].code) == [["#2", "79,75"], ["▲1", "+13,75"]]
    # Kominfo: 1st (90.50) last year, 3rd now (24 + 32 + 21 = 77.00): down two, -13.50
    assert yoy_cells(html, entries[0].code) == [["#1", "90,50"], ["▼2", "-13,50"]]
    # Pendidikan: 3rd last year, 2nd now (26.40 + 32 + 18.75 = 77.15): up one
    assert yoy_cells(html, entries[2].code)[1][0] == "▲1"


def test_not_copied_competition_has_no_year_columns(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    html = web.get(f"/organizer/categories/{world.category.id}/ranking").get_data(as_text=True)
    assert "Tahun lalu" not in html


def test_export_has_a_last_year_sheet(app, make):
    from openpyxl import load_workbook

    from judging.results.export import ranking_workbook

    last, this, _, entries = copied_world(make)
    book = load_workbook(io.BytesIO(ranking_workbook(this)), read_only=True)
    rows = list(book["Tahun lalu (2026)"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Kategori")
    row = next(r for r in rows if len(r) > 1 and r[1] == "BP02")
    values = dict(zip(header, row, strict=False))
    assert values["Peringkat 2027"] == 1 and values["Peringkat 2026"] == 2
    assert values["Perubahan peringkat"] == 1 and values["Perubahan nilai"] == 13.75


def test_public_results_mark_a_rise_only_when_chosen(app, make, web):
    last, this, category, entries = copied_world(make)
    this.phase = "final"
    freeze_results(this)
    this.phase = "published"
    make.commit()
    html = web.get(f"/results/{this.id}").get_data(as_text=True)
    assert "naik peringkat" not in html
    this.show_rank_rise = True
    make.commit()
    html = web.get(f"/results/{this.id}").get_data(as_text=True)
    # Kesehatan and Pendidikan rose: each marked in the winner list and in the table
    assert html.count('class="badge badge-rise"') == 4
    risen = re.findall(r"([\w ]+) <span class=\"badge badge-rise\"", html)
    assert {name.strip() for name in risen} == {"Dinas Kesehatan", "Dinas Pendidikan"}


def test_organizer_turns_the_mark_on_in_the_competition_form(app, make, web):
    last, this, _, _ = copied_world(make)
    web.login(last.organizer.email)
    page = web.get(f"/organizer/competitions/{this.id}/edit").get_data(as_text=True)
    assert 'name="show_rank_rise"' in page
    data = {"name": this.name, "year": 2027, "code": this.code, "timezone": "Asia/Jakarta",
            "grace_minutes": 0, "award_labels": "Juara 1\nJuara 2\nJuara 3",
            "show_rank_rise": "y"}
    web.post(f"/organizer/competitions/{this.id}/edit", data)
    db.session.expire_all()
    assert db.session.get(type(this), this.id).show_rank_rise is True


def test_entrant_page_shows_last_years_rank_beside_this_years(app, make, web):
    last, this, category, entries = copied_world(make)
    make.grant(last.organizer, "organizer", organisation_id=this.organisation_id)
    make.commit()
    web.login(last.organizer.email)
    entrant = entries[1].entrant  # Kesehatan: 2nd (79.75) last year, 1st (93.50) now
    html = web.get(f"/organizer/entrants/{entrant.id}").get_data(as_text=True)
    row = re.search(r'<tr data-entry="BP-002" data-year="2027">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", " ", c).split()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[-3:] == [["#1", "93,50"], ["#2", "(2026)", "79,75"], ["▲1", "+13,75"]]
    # last year's own entry has no year before it: no comparison on its row
    old = re.search(r'<tr data-entry="BP-002" data-year="2026">(.*?)</tr>', html, re.S).group(1)
    assert "▲" not in old and "#2" not in old


def test_not_copied_entrant_page_has_no_year_columns(app, make, web):
    world = build_results_world(make)
    make.grant(world.organizer, "organizer", organisation_id=world.competition.organisation_id)
    make.commit()
    web.login(world.organizer.email)
    html = web.get(f"/organizer/entrants/{world.entries[0].entrant.id}").get_data(as_text=True)
    assert "Tahun lalu" not in html


def test_participant_sees_last_year_after_publication(app, make, web):
    last, this, category, entries = copied_world(make)
    participant = make.participant(entries[0].entrant, email="kominfo@juara.test")
    make.commit()
    web.login(participant.email)
    assert "result-last-year" not in web.get(f"/participant/entries/{entries[0].id}").get_data(
        as_text=True)  # not published yet
    this.phase = "final"
    freeze_results(this)
    this.phase = "published"
    make.commit()
    html = web.get(f"/participant/entries/{entries[0].id}").get_data(as_text=True)
    # Kominfo: 1st with 90.50 last year, 3rd with 77.00 now
    assert re.search(r'id="result-last-year"[^>]*>\s*Peringkat 1, nilai 90,50', html)
    assert re.search(r'id="result-change"[^>]*>\s*turun 2 peringkat, -13,50', html)
