"""A participant's own result on their entry page and home cards: only once published."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import Certificate, Result, SpecialAward
from judging.results.freeze import freeze_results
from judging.results.own import anonymous_juror_scores
from tests.app.results_world import build_results_world

JUROR_NAMES = ("Bambang Wicaksono Sulistyo", "Ratna Kusumawardhani Prameswari")


@pytest.fixture
def world(app, make):
    """The results world, with distinctive juror names and one participant per entrant."""
    built = build_results_world(make)
    for juror, name in zip(built.jurors, JUROR_NAMES, strict=True):
        juror.name = name
    built.participants = [make.participant(e.entrant, email=f"peserta{i}@juara.test")
                          for i, e in enumerate(built.entries)]
    make.commit()
    return built


def move_to(world, phase: str) -> None:
    """Freeze at final as the organizer's phase change does, then go on to ``phase``."""
    world.competition.phase = "final"
    freeze_results(world.competition)
    world.competition.phase = phase
    db.session.commit()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def entry_page(web, world, i: int, *, as_participant: int | None = None):
    web.login(f"peserta{i if as_participant is None else as_participant}@juara.test")
    return web.get(f"/participant/entries/{world.entries[i].id}")


@pytest.mark.parametrize("phase", ["moderation", "final"])
def test_nothing_of_the_result_is_shown_before_publishing(web, world, phase):
    if phase == "final":
        move_to(world, "final")
        assert db.session.scalar(select(Result).where(Result.entry_id == world.entries[0].id))
    page = entry_page(web, world, 0)
    assert page.status_code == 200
    assert 'id="hasil"' not in page.text and "90,50" not in page.text
    assert "Peringkat Pertama" not in page.text
    home = web.get("/participant/")
    assert "entry-result-line" not in home.text


def test_published_entry_shows_its_frozen_rank_total_components_band_and_award(web, world):
    move_to(world, "published")
    page = entry_page(web, world, 0)
    assert page.status_code == 200
    html = page.text
    assert re.search(r'id="result-rank">\s*1\s*<', html)
    assert re.search(r'id="result-total" class="num">\s*90,50\s*<', html)
    assert re.search(r'id="result-award"[^>]*>\s*Peringkat Pertama\s*<', html)
    assert re.search(r'id="result-band">\s*Informatif\s*<', html)
    text = text_of(html)
    assert "Presentasi 30% 85,00" in text  # the method's label, weight and the frozen number
    assert "Nilai SAQ 40% 95,00" in text and "Verifikasi website 30% 90,00" in text
    assert "Juri 1 90,00" in text and "Juri 2 80,00" in text
    means = [c.label for c in world.category.criteria]
    assert all(f"{label} 85,00" in text for label in means)  # mean of 90 and 80 per criterion


def test_second_place_and_the_not_advanced_entry_read_their_own_numbers(web, world):
    move_to(world, "published")
    rows = {r.entry_id: r for r in db.session.scalars(select(Result))}
    second = rows[world.entries[1].id]
    html = entry_page(web, world, 1).text
    assert re.search(rf'id="result-rank">\s*{second.rank}\s*<', html)
    assert re.search(rf'id="result-total" class="num">\s*{second.total}\s*<', html)
    assert "Peringkat Kedua" in html and second.band and second.band in html

    last = text_of(entry_page(web, world, 3).text)
    assert "Tidak lolos tahap" in last  # the label its method declares
    assert 'id="result-award"' not in entry_page(web, world, 3).text


def test_no_juror_name_email_or_id_appears_on_the_page(web, world):
    move_to(world, "published")
    html = entry_page(web, world, 0).text
    for juror, name in zip(world.jurors, JUROR_NAMES, strict=True):
        assert name not in html and juror.email not in html
    assert "Juri Nama" not in html  # the world's original names are gone too
    rows = db.session.scalar(select(Result).where(Result.entry_id == world.entries[0].id))
    assert set(rows.breakdown["juror_names"].values()) == set(JUROR_NAMES)  # they were frozen


def test_juror_labels_follow_a_stable_order_whatever_the_key_order():
    first = anonymous_juror_scores({"12": 70, "3": 90.5})
    second = anonymous_juror_scores({"3": 90.5, "12": 70})
    assert [(p.label, str(p.score)) for p in first] == [("Juri 1", "90.50"), ("Juri 2", "70.00")]
    assert first == second


def test_another_entrants_result_is_never_visible(web, world):
    move_to(world, "published")
    response = entry_page(web, world, 0, as_participant=1)
    assert response.status_code == 404
    assert "90,50" not in response.text and "Peringkat Pertama" not in response.text
    home = web.get("/participant/")
    assert "Peringkat 2" in home.text and "Peringkat 1" not in home.text
    assert f'id="entry-{world.entries[0].id}"' not in home.text


def test_home_cards_show_a_short_result_line_once_published(web, world):
    move_to(world, "published")
    web.login("peserta1@juara.test")
    html = web.get("/participant/").text
    line = re.search(r'class="entry-result-line"><strong>([^<]+)<', html)
    band = db.session.scalar(select(Result.band).where(Result.entry_id == world.entries[1].id))
    assert line and line.group(1) == f"Peringkat 2 · Peringkat Kedua · {band}"


def test_special_awards_and_certificate_links_are_shown(web, world):
    entry = world.entries[2]
    db.session.add(SpecialAward(entry_id=entry.id, label="Apresiasi Inovasi"))
    move_to(world, "published")
    html = entry_page(web, world, 2).text
    assert re.search(r'id="result-special">\s*Apresiasi Inovasi\s*<', html)
    assert "result-certificates-link" not in html  # no certificate yet, no link

    cert = Certificate(organisation_id=world.competition.organisation_id,
                       competition_id=world.competition.id, entry_id=entry.id,
                       kind="winner", award="Peringkat Ketiga", serial="KIP-2026/BP/001",
                       code="Q" * 20)
    db.session.add(cert)
    db.session.commit()
    html = entry_page(web, world, 2).text
    assert f"/participant/certificates/{cert.id}/pdf" in html
    assert 'href="/participant/certificates"' in html


def test_moderation_flags_stay_with_the_organizers(web, world):
    move_to(world, "published")
    result = db.session.scalar(select(Result).where(Result.entry_id == world.entries[0].id))
    result.flags = ["disagreement", "few_marks", "missing_indicators"]
    db.session.commit()
    text = text_of(entry_page(web, world, 0).text)
    assert "Juri berbeda pendapat" not in text and "Nilai juri kurang" not in text
    assert "Data monev belum lengkap" in text  # as information_disclosure declares it
