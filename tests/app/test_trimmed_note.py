"""Trimmed mean honesty: the settings form and the ranking say when trimming changes nothing."""

from __future__ import annotations

from tests.fixtures.worlds.results_world import build_results_world


def pages(web, category):
    edit = web.get(f"/organizer/categories/{category.id}/edit").get_data(as_text=True)
    ranking = web.get(f"/organizer/categories/{category.id}/ranking").get_data(as_text=True)
    return edit, ranking


def test_two_jurors_with_trimmed_mean_are_told_it_equals_the_mean(make, web):
    world = build_results_world(make)  # two jurors judge every entry
    world.category.aggregation = "trimmed"
    make.commit()
    web.login(world.organizer.email)
    edit, ranking = pages(web, world.category)
    for page in (edit, ranking):
        assert 'id="trimmed-note"' in page
        assert "paling banyak 2 juri per entri, jadi hasilnya sama dengan rata-rata" in page
    web.post("/auth/language", {"lang": "en"})
    assert "here an entry has at most 2, so it equals the mean" in pages(web, world.category)[1]


def test_the_ranking_is_quiet_when_the_mean_is_chosen(make, web):
    world = build_results_world(make)
    web.login(world.organizer.email)
    edit, ranking = pages(web, world.category)
    assert 'id="trimmed-note"' in edit  # the form warns before anyone picks trimming
    assert 'id="trimmed-note"' not in ranking


def test_four_jurors_make_trimming_real(make, web):
    world = build_results_world(make)
    world.category.aggregation = "trimmed"
    for i in (3, 4):
        make.juror(world.competition, [world.category], email=f"juri{i}@juara.test")
    make.commit()
    web.login(world.organizer.email)
    edit, ranking = pages(web, world.category)
    assert 'id="trimmed-note"' not in edit and 'id="trimmed-note"' not in ranking
