"""Published results: nothing before publishing, the right winners after, no juror detail."""

import pytest

from judging.competitions.transitions import change_phase
from judging.results.special import add_special_award
from tests.app.results_world import build_results_world


def publish(world):
    change_phase(world.competition, "final")
    change_phase(world.competition, "published")


@pytest.mark.parametrize("phase", ["draft", "open", "judging", "moderation", "final"])
def test_nothing_is_public_before_publishing(app, make, client, phase):
    world = build_results_world(make, phase=phase)
    assert client.get(f"/results/{world.competition.id}").status_code == 404
    assert client.get(f"/api/competitions/{world.competition.id}/results").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "Monev KIP" not in home and "Dinas Kominfo" not in home


def test_unknown_competition_is_not_found(app, client):
    assert client.get("/results/999").status_code == 404
    assert client.get("/api/competitions/999/results").status_code == 404


def test_published_page_shows_the_winners_bands_and_awards(app, make, client):
    world = build_results_world(make, phase="moderation")
    add_special_award(world.entries[3], "Apresiasi Inovasi", actor_id=None)
    publish(world)
    make.commit()

    home = client.get("/").get_data(as_text=True)
    assert f'href="/results/{world.competition.id}"' in home
    html = client.get(f"/results/{world.competition.id}").get_data(as_text=True)
    winners = html.split('class="winner-list"')[1].split("</ol>")[0]
    order = [winners.index(n) for n in ("Dinas Kominfo", "Dinas Kesehatan", "Dinas Pendidikan",
                                        "Dinas Perhubungan")]
    assert order == sorted(order)
    assert "Peringkat Pertama" in winners and "Apresiasi Inovasi" in winners
    assert "Informatif" in html and "90,50" in html
    for secret in ("Juri Nama", "juri1@", "Panitia"):
        assert secret not in html


def test_results_json_has_the_same_winners_and_no_juror_details(app, make, client):
    world = build_results_world(make, phase="moderation")
    publish(world)
    make.commit()
    data = client.get(f"/api/competitions/{world.competition.id}/results").json
    assert data["competition"]["name"] == "Monev KIP"
    category = data["categories"][0]
    assert [(w["rank"], w["entrant_name"], w["award"]) for w in category["winners"]] == [
        (1, "Dinas Kominfo", "Peringkat Pertama"),
        (2, "Dinas Kesehatan", "Peringkat Kedua"),
        (3, "Dinas Pendidikan", "Peringkat Ketiga"),
    ]
    assert category["lines"][3] == {
        "rank": 4, "entrant_code": "BP04", "entrant_name": "Dinas Perhubungan",
        "total": "32.00", "band": "Tidak Informatif", "award": None, "special_awards": [],
    }
    raw = str(data)
    assert "juror" not in raw and "Juri" not in raw and "breakdown" not in raw


def test_public_results_come_from_the_frozen_snapshot(app, make, client):
    from decimal import Decimal

    from judging.extensions import db
    from judging.models import IndicatorValue

    world = build_results_world(make, phase="moderation")
    publish(world)
    last = world.entries[3]
    for value in db.session.query(IndicatorValue).filter_by(entry_id=last.id):
        value.value = Decimal("100")
    make.commit()
    data = client.get(f"/api/competitions/{world.competition.id}/results").json
    assert data["categories"][0]["winners"][0]["entrant_name"] == "Dinas Kominfo"


def test_the_json_link_is_a_small_open_data_note(app, make, client):
    world = build_results_world(make, phase="moderation")
    publish(world)
    page = client.get(f"/results/{world.competition.id}").get_data(as_text=True)
    assert "Data hasil (JSON)" not in page
    assert "Data terbuka" in page
    assert f'href="/api/competitions/{world.competition.id}/results"' in page
