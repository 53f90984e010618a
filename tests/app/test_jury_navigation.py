"""Juror's previous / next entry: the list page's order, conflicts skipped, position shown,
and after submitting, the way on to the next unfinished entry."""

from __future__ import annotations

import re

from judging.extensions import db
from judging.models import ConflictDeclaration
from tests.fixtures.worlds.jury_world import build_world, form_data


def _nav(page: str) -> dict:
    top = re.search(r'<nav class="jury-nav".*?</nav>', page, re.S).group(0)
    links = dict(re.findall(r'rel="(prev|next)" href="/jury/entry/(\d+)"', top))
    position = re.search(r'jury-position">([^<]+)<', top).group(1)
    return {"prev": links.get("prev"), "next": links.get("next"), "position": position}


def test_previous_and_next_follow_the_list_and_skip_conflicts(web, make):
    world = build_world(make, entries=4)
    ordered = sorted(world.entries, key=lambda e: e.code)
    db.session.add(ConflictDeclaration(juror_id=world.juror.id, entry_id=ordered[1].id,
                                       reason="Saudara"))
    db.session.commit()
    first, third, fourth = (str(e.id) for e in (ordered[0], ordered[2], ordered[3]))
    web.login("juri@juara.test")

    page = web.get(f"/jury/entry/{third}").get_data(as_text=True)
    assert _nav(page) == {"prev": first, "next": fourth, "position": "2 dari 3"}
    assert _nav(web.get(f"/jury/entry/{first}").get_data(as_text=True)) == {
        "prev": None, "next": third, "position": "1 dari 3"}
    assert _nav(web.get(f"/jury/entry/{fourth}").get_data(as_text=True)) == {
        "prev": third, "next": None, "position": "3 dari 3"}
    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    assert listing.index(ordered[0].code) < listing.index(ordered[2].code) \
        < listing.index(ordered[3].code)


def test_after_submit_the_page_offers_the_next_unfinished_entry(web, make):
    world = build_world(make, entries=3)
    ordered = sorted(world.entries, key=lambda e: e.code)
    web.login("juri@juara.test")
    for entry in (ordered[1], ordered[0]):  # the second is done first
        web.post(f"/jury/entry/{entry.id}/score",
                 form_data(world, entry, [80, 70, 90, 60], submit=True))
    page = web.get(f"/jury/entry/{ordered[1].id}").get_data(as_text=True)
    assert "Lanjut ke entri berikutnya yang belum selesai" in page
    offer = re.search(r'id="next-unfinished">.*?</p>', page, re.S).group(0)
    assert f'href="/jury/entry/{ordered[2].id}"' in offer

    draft = web.get(f"/jury/entry/{ordered[2].id}").get_data(as_text=True)
    assert 'id="next-unfinished"' not in draft  # only once the sheet is sent

    web.post(f"/jury/entry/{ordered[2].id}/score",
             form_data(world, ordered[2], [80, 70, 90, 60], submit=True))
    done = web.get(f"/jury/entry/{ordered[2].id}").get_data(as_text=True)
    assert "Semua entri di daftar Anda sudah dikirim." in done


def test_english_position_reads_of(web, make):
    world = build_world(make, entries=2)
    web.login("juri@juara.test")
    page = web.get(f"/jury/entry/{world.entries[0].id}?lang=en").get_data(as_text=True)
    assert "1 of 2" in page or "2 of 2" in page
