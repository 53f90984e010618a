"""A scoring method's texts follow the reader's language; plain strings are shown as given."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from judging.i18n import pick, rubric_text
from judging.scoring import Text
from tests.fixtures.worlds.organizer_world import build_world
from tests.fixtures.worlds.results_world import build_results_world


@pytest.fixture
def world(app, make):
    return build_world(make)


def page(web, url: str, lang: str) -> str:
    web.post("/auth/language", {"lang": lang})
    response = web.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_category_form_names_components_and_thresholds_in_the_reader_language(web, world):
    category = world.category("information_disclosure")
    world.make.commit()
    web.login("org@juara.test")
    url = f"/organizer/categories/{category.id}/edit"
    english = page(web, url, "en")
    assert "Weight Presentation (%)" in english and "Weight Presentasi" not in english
    assert ">Threshold Minimum SAQ score to advance</label>" in english
    indonesian = page(web, url, "id")
    assert "Bobot Presentasi (%)" in indonesian
    assert "Nilai SAQ minimum untuk lanjut" in indonesian


def test_rubric_keeps_its_english_until_the_organizer_rewords_it(web, world):
    category = world.category("complaint_handling")
    category.criteria[1].label = "Tindak lanjut yang kami nilai"
    world.make.commit()
    web.login("org@juara.test")
    english = page(web, f"/organizer/categories/{category.id}", "en")
    assert "Innovation in complaint handling" in english
    assert "Breakthroughs that make handling reports faster or easier." in english
    assert "Tindak lanjut yang kami nilai" in english  # typed words stay as typed
    assert "Inovasi pengelolaan pengaduan" not in english


def test_jury_sees_monev_units_in_english(web, make):
    world = build_results_world(make, phase="judging")
    web.login("juri1@juara.test")
    english = page(web, f"/jury/entry/{world.entries[0].id}", "en")
    assert "<th>SAQ score</th><td class=\"num\">95 points</td>" in english
    assert "poin<" not in english


def test_pick_reads_a_text_and_leaves_a_plain_string(app):
    unit = Text("hari kerja", en="working days")
    with app.test_request_context("/?lang=en"):
        assert pick(unit) == "working days" and pick("laporan") == "laporan"
        assert rubric_text("unknown_method", "x", "Kriteria sendiri") == "Kriteria sendiri"
    refresh()  # the locale is cached in the app context the test keeps pushed
    with app.test_request_context("/"):
        assert pick(unit) == "hari kerja"
