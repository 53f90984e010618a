"""The published results page is rendered once per publication and language, then kept:
unpublishing hides it at once, and what a republication changes is what the page shows."""

from decimal import Decimal

import pytest

from judging.competitions.editing import update_competition
from judging.competitions.transitions import change_phase
from judging.extensions import db
from judging.models import IndicatorValue
from judging.public import views_results
from judging.results.special import add_special_award
from tests.fixtures.worlds.results_world import build_results_world


@pytest.fixture
def renders(monkeypatch):
    """How many times the results themselves were read and rendered."""
    calls = []
    real = views_results.published_rankings
    monkeypatch.setattr(views_results, "published_rankings",
                        lambda competition: calls.append(competition.id) or real(competition))
    return calls


def published_world(make):
    world = build_results_world(make, phase="moderation")
    change_phase(world.competition, "final")
    change_phase(world.competition, "published")
    make.commit()
    return world


def winners(page: str) -> str:
    return page.split('class="winner-list"')[1].split("</ol>")[0]


def test_the_page_is_rendered_once_per_language_and_served_the_same(app, make, client, renders):
    world = published_world(make)
    url = f"/results/{world.competition.id}"
    first = client.get(url).get_data(as_text=True)
    again = client.get(url).get_data(as_text=True)
    assert renders == [world.competition.id]
    assert winners(again) == winners(first) and "Peringkat Pertama" in winners(first)
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert renders == [world.competition.id] * 2
    assert "First Place" in winners(english) and "Peringkat Pertama" not in english
    assert "90.50" in english and "90,50" in first
    assert "Peringkat Pertama" in winners(client.get(url).get_data(as_text=True))
    assert len(renders) == 2


def test_unpublishing_hides_the_kept_page_and_republishing_shows_the_new_results(
        app, make, client, renders):
    world = published_world(make)
    url = f"/results/{world.competition.id}"
    assert "Apresiasi Inovasi" not in client.get(url).get_data(as_text=True)
    change_phase(world.competition, "final", reason="Penghargaan khusus terlewat")
    make.commit()
    assert client.get(url).status_code == 404
    add_special_award(world.entries[3], "Apresiasi Inovasi", actor_id=None)
    change_phase(world.competition, "published")
    make.commit()
    assert "Apresiasi Inovasi" in client.get(url).get_data(as_text=True)
    assert len(renders) == 2


def test_a_new_freeze_is_shown_once_republished(app, make, client, renders):
    world = published_world(make)
    url = f"/results/{world.competition.id}"
    assert "Dinas Kominfo" in winners(client.get(url).get_data(as_text=True))
    change_phase(world.competition, "final", reason="Data monev dikoreksi")
    change_phase(world.competition, "moderation", reason="Data monev dikoreksi")
    for value in db.session.query(IndicatorValue).filter_by(entry_id=world.entries[0].id):
        value.value = Decimal("10")  # below the SAQ gate: no longer a winner
    change_phase(world.competition, "final")
    change_phase(world.competition, "published")
    make.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Dinas Kominfo" not in winners(page) and "Dinas Kominfo" in page
    assert winners(page).index("Dinas Kesehatan") < winners(page).index("Dinas Pendidikan")
    assert len(renders) == 2


def test_an_edit_of_the_published_competition_shows_at_once(app, make, client, renders):
    world = published_world(make)
    url = f"/results/{world.competition.id}"
    client.get(url)
    update_competition(world.competition, {"name": "Monev KIP Kota", "year": world.competition.year,
                                           "timezone": world.competition.timezone})
    make.commit()
    assert "Hasil Monev KIP Kota" in client.get(url).get_data(as_text=True)
    assert len(renders) == 2
