"""Jurors' comments to participants: a per-category choice, anonymised, after publication only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import Category, Mark, ModerationNote, Scoresheet
from judging.results.freeze import freeze_results
from tests.fixtures.worlds.results_world import build_results_world, put_marks

NAMES = ("Bambang Wicaksono Sulistyo", "Ratna Kusumawardhani Prameswari")


@pytest.fixture
def world(app, make):
    """Two jurors who commented on the first entry, a third with only a draft, a hidden note."""
    built = build_results_world(make)
    for juror, name in zip(built.jurors, NAMES, strict=True):
        juror.name = name
    entry, criteria = built.entries[0], built.category.criteria
    make.participant(entry.entrant, email="peserta@juara.test")
    drafter = make.juror(built.competition, [built.category], email="juri3@juara.test",
                         name="Drafter Tersembunyi")
    put_marks(drafter, entry, criteria, [50] * len(criteria), status="draft")
    _comment(drafter, entry, criteria[0], "Komentar draf rahasia", "Catatan draf")
    _comment(built.jurors[0], entry, criteria[0], "Bukti lengkap dan rapi", "Pertahankan!")
    _comment(built.jurors[1], entry, criteria[-1], "Perlu data lebih baru", "")
    db.session.add(ModerationNote(category_id=built.category.id, entry_id=entry.id,
                                  author_id=built.organizer.id, text="Catatan moderasi internal"))
    make.commit()
    return built


def _comment(juror, entry, criterion, text, overall) -> None:
    mark = db.session.scalar(select(Mark).where(Mark.juror_id == juror.id,
                                                Mark.entry_id == entry.id,
                                                Mark.criterion_id == criterion.id))
    mark.comment = text
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.juror_id == juror.id,
                                                       Scoresheet.entry_id == entry.id))
    sheet.overall_comment = overall


def move_to(world, phase: str) -> None:
    world.competition.phase = "final"
    freeze_results(world.competition)
    world.competition.phase = phase
    db.session.commit()


def share(world, on: bool = True) -> None:
    db.session.get(Category, world.category.id).share_comments = on
    db.session.commit()


def page_of(web, world, lang: str = "id") -> str:
    web.login("peserta@juara.test")
    html = web.get(f"/participant/entries/{world.entries[0].id}?lang={lang}").get_data(
        as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_off_by_default_no_comment_reaches_the_participant(web, world):
    move_to(world, "published")
    text = page_of(web, world)
    assert "Juri 1" in text  # the published scores are there
    assert "Bukti lengkap" not in text and "Komentar juri" not in text


def test_on_comments_wait_for_publication(web, world):
    share(world)
    move_to(world, "final")
    text = page_of(web, world)
    assert "Bukti lengkap" not in text and "Pertahankan" not in text


def test_on_published_comments_are_anonymised_from_submitted_sheets_only(web, world):
    share(world)
    move_to(world, "published")
    text = page_of(web, world)
    first, last = world.category.criteria[0].label, world.category.criteria[-1].label
    assert f"Juri 1 Pertahankan! {first} Bukti lengkap dan rapi" in text
    assert f"Juri 2 {last} Perlu data lebih baru" in text
    for hidden in (*NAMES, "Drafter", "draf rahasia", "Catatan draf", "Catatan moderasi"):
        assert hidden not in text
    english = page_of(web, world, "en")
    assert "Jurors' comments" in english and "Juror 2" in english


def test_the_organizer_turns_it_on_and_the_audit_log_names_it(web, world):
    category = world.category
    web.login(world.organizer.email)
    page = web.get(f"/organizer/categories/{category.id}/edit").get_data(as_text=True)
    assert 'name="share_comments"' in page
    data = {"name": category.name, "code": category.code, "level": category.level,
            "places": "3", "aggregation": "mean", "required_marks": "1",
            "disagreement_threshold": "20", "description": "", "share_comments": "y"}
    data |= {f"weight_{k}": str(v) for k, v in category.weights.items()}
    data |= {f"threshold_{k}": str(v) for k, v in category.thresholds.items()}
    assert web.post(f"/organizer/categories/{category.id}/edit", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category.id).share_comments is True
    audit = web.get(f"/organizer/competitions/{world.competition.id}/audit").get_data(
        as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", audit))
    assert re.search(r"Komentar juri untuk peserta\s*:\s*tidak → ya", text), text
    assert "share_comments" not in audit
