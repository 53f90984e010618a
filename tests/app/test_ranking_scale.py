"""Rankings of large categories: pages of lines with the total count, charts on demand."""

import pytest

from judging.organizer import views_rankings as ranking_views
from judging.results.freeze import freeze_results
from tests.fixtures.worlds.results_world import build_results_world


def codes(html):
    import re

    return re.findall(r'<tr class="ranking-row[^"]*" data-entry="([^"]+)">', html)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(ranking_views, "PER_PAGE", 2)


def test_the_ranking_page_shows_one_page_and_charts_on_their_own_page(app, make, web,
                                                                      small_pages):
    world = build_results_world(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    first = web.get(url).get_data(as_text=True)
    assert codes(first) == ["BP-001", "BP-002"]
    assert "Halaman 1 dari 2 · 4 entri" in first and 'rel="next"' in first
    assert 'id="chart-totals"' not in first and 'id="ranking-charts-link"' in first
    second = web.get(url + "?page=2").get_data(as_text=True)
    assert codes(second) == ["BP-003", "BP-004"] and 'rel="prev"' in second
    charts = web.get(url + "/charts").get_data(as_text=True)
    assert 'id="chart-totals"' in charts and charts.count('class="strip-dot"') == 6


def test_a_large_category_links_to_its_what_if_comparison_instead_of_computing_it(
        app, make, web, small_pages):
    world = build_results_world(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    first = web.get(url).get_data(as_text=True)
    assert 'id="whatif-table"' not in first and 'id="ranking-whatif-link"' in first
    whatif = web.get(url + "/whatif").get_data(as_text=True)
    assert whatif.count('class="whatif-row') == 4 and 'id="whatif-stability"' in whatif


@pytest.mark.parametrize("frozen", [False, True])
def test_the_ranking_api_is_paginated_with_the_total_count(app, make, web, frozen):
    world = build_results_world(make, phase="final" if frozen else "judging")
    if frozen:
        freeze_results(world.competition)
    make.commit()
    web.login(world.organizer.email)
    url = f"/api/categories/{world.category.id}/ranking"
    whole = web.get(url).json
    assert whole["count"] == 4 and whole["pages"] == 1 and len(whole["lines"]) == 4
    assert whole["frozen"] is frozen
    page = web.get(url + "?page=2&per_page=3").json
    assert (page["count"], page["page"], page["pages"]) == (4, 2, 2)
    assert [line["entry_code"] for line in page["lines"]] == ["BP-004"]
    assert page["lines"][0]["rank"] == whole["lines"][3]["rank"]
    assert web.get(url + "?page=9&per_page=3").json["lines"] == []
    refused = web.get(url + "?per_page=5000")
    assert refused.status_code == 400 and "per_page" in refused.json["error"]


def test_a_live_page_carries_the_same_lines_as_the_whole_ranking(app, make):
    """Only the page's lines are dressed (names, awards, criterion means), and identically."""
    from judging.results.live import live_ranking, live_window

    world = build_results_world(make, phase="judging")
    whole = live_ranking(world.category)
    page, count = live_window(world.category, 1, 2)
    assert count == 4 and page.lines == whole.lines[1:3]
    assert page.lines[0].criterion_means  # means are read from the marks, page or not
    assert page.juror_labels(named=False) == whole.juror_labels(named=False)
    assert live_window(world.category, 8, 2)[0].lines == []


@pytest.mark.parametrize("frozen", [False, True])
def test_the_ranking_command_prints_a_page_with_the_total_count(app, make, runner, frozen):
    import json

    world = build_results_world(make, phase="final" if frozen else "judging")
    if frozen:
        freeze_results(world.competition)
    make.commit()
    args = ["ranking", str(world.category.id)]
    first = json.loads(runner.invoke(args=[*args, "--per-page", "3"]).output)
    assert (first["count"], first["page"], first["pages"], first["frozen"]) == (4, 1, 2, frozen)
    assert [line["entry_code"] for line in first["lines"]] == ["BP-001", "BP-002", "BP-003"]
    second = json.loads(runner.invoke(args=[*args, "--page", "2", "--per-page", "3"]).output)
    assert [line["entry_code"] for line in second["lines"]] == ["BP-004"]
    every = json.loads(runner.invoke(args=[*args, "--all"]).output)
    assert every["count"] == 4 and len(every["lines"]) == 4
    refused = runner.invoke(args=[*args, "--per-page", "0"])
    assert refused.exit_code != 0 and "per-page" in refused.output



@pytest.mark.parametrize("frozen", [False, True])
def test_a_long_ranking_links_each_line_to_its_breakdown_instead_of_carrying_it(
        app, make, web, small_pages, frozen):
    world = build_results_world(make, phase="final" if frozen else "judging")
    if frozen:
        freeze_results(world.competition)
    make.commit()
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    first = web.get(url).get_data(as_text=True)
    assert 'class="ranking-breakdown"' not in first and "Skor tiap juri" not in first
    entry = world.entries[0]
    assert f'href="{url}/entries/{entry.id}" class="breakdown-link"' in first
    one = web.get(f"{url}/entries/{entry.id}").get_data(as_text=True)
    assert "Rincian Dinas Kominfo" in one and "90,50" in one
    assert "Juri Nama 1" in one and "Nilai SAQ" in one and "Bobot yang dipakai" in one
    assert ("beku" if frozen else "langsung") in one
    other = make.entry(make.category(make.competition()), status="submitted")
    make.commit()
    assert web.get(f"{url}/entries/{other.id}").status_code == 404


def test_a_short_ranking_keeps_its_breakdowns_inline(app, make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    html = web.get(f"/organizer/categories/{world.category.id}/ranking").get_data(as_text=True)
    assert html.count('class="ranking-breakdown"') == 4 and "breakdown-link" not in html


@pytest.mark.parametrize("frozen", [False, True])
def test_the_overview_dresses_only_the_awarded_lines(app, make, web, monkeypatch, frozen):
    from judging.results import live

    world = build_results_world(make, phase="final" if frozen else "judging")
    if frozen:
        freeze_results(world.competition)
    make.commit()
    dressed = []
    original = live._lines
    monkeypatch.setattr(live, "_lines", lambda c, computed, ranked: dressed.append(len(ranked))
                        or original(c, computed, ranked))
    web.login(world.organizer.email)
    html = web.get(f"/organizer/competitions/{world.competition.id}/rankings"
                   ).get_data(as_text=True)
    assert "4 entri" in html and html.count("<li><strong>Peringkat") == 3
    assert dressed == ([] if frozen else [3])


def test_a_page_of_lines_drawn_again_shows_what_changed_since(app, make, web, small_pages):
    from judging.results.special import add_special_award

    world = build_results_world(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    first = web.get(url).get_data(as_text=True)
    assert web.get(url).get_data(as_text=True).count("ranking-row") == first.count("ranking-row")
    assert "badge-special" not in first and 'class="breakdown-link">Rincian</a>' in first
    add_special_award(world.entries[0], "Apresiasi Inovasi", actor_id=None)
    make.commit()
    again = web.get(url).get_data(as_text=True)
    row = again[again.index(f'data-entry="{world.entries[0].code}"'):]
    assert '<span class="badge badge-special">Apresiasi Inovasi</span>' in row[:row.index("</tr>")]
    english = web.get(url + "?lang=en").get_data(as_text=True)
    assert 'class="breakdown-link">Details</a>' in english and ">Rincian</a>" not in english


def test_a_kept_live_page_is_formatted_once_per_language(app, make, web, small_pages,
                                                         monkeypatch):
    from judging.results import cells

    made, original = [], cells._cells
    monkeypatch.setattr(cells, "_cells", lambda *args: made.append(args[2]) or original(*args))
    world = build_results_world(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/ranking"
    pages = [web.get(url).get_data(as_text=True) for _ in range(3)]
    assert made == ["id"] and codes(pages[2]) == ["BP-001", "BP-002"]
    assert pages[0].count("ranking-row") == pages[2].count("ranking-row")
    english = web.get(url + "?lang=en").get_data(as_text=True)
    assert made == ["id", "en"] and ">Details</a>" in english
    web.get(url + "?page=2")
    assert made == ["id", "en", "id"]
