"""The scoring page's two reads and what it keeps per process: the juror's list through both
kinds of assignment (in the list page's order, one value of the entry's row), and a rubric
that follows every edit, in both languages, and that the juror's score is worked out from."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from judging import driver_sql
from judging.extensions import db
from judging.marking import scores, scoring_entry
from judging.marking.assignments import assigned_entries
from judging.models import Assignment, ConflictDeclaration, Criterion, User
from tests.fixtures.worlds.jury_world import build_world, form_data


def _fieldsets(page: str) -> list[str]:
    return re.findall(r'<fieldset class="jury-criterion.*?</fieldset>', page, re.S)


def _position(page: str) -> tuple[str, str | None, str | None]:
    nav = re.search(r'<nav class="jury-nav".*?</nav>', page, re.S).group(0)
    links = dict(re.findall(r'rel="(prev|next)" href="/jury/entry/(\d+)"', nav))
    return (re.search(r'jury-position">([^<]+)<', nav).group(1), links.get("prev"),
            links.get("next"))


def test_the_page_shows_a_criterion_edit_at_once_and_in_each_language(web, make):
    world = build_world(make, entries=1)
    url = f"/jury/entry/{world.entries[0].id}"
    first = world.criteria[0]
    web.login("juri@juara.test")
    before = _fieldsets(web.get(url).get_data(as_text=True))[0]
    assert "(0–100, bobot" in before

    first.label, first.guidance = "Kualitas tautan", "Periksa tiap tautan."
    first.max_mark, first.weight = Decimal("12.5"), Decimal("7")
    db.session.commit()
    after = _fieldsets(web.get(url).get_data(as_text=True))[0]
    assert "Kualitas tautan" in after and "Periksa tiap tautan." in after
    assert "(0–12,5, bobot 7)" in after
    assert 'max="12.5"' in after and 'data-weight="7.00"' in after

    db.session.get(User, world.juror.id).locale = "en"
    db.session.commit()
    english = web.get(url).get_data(as_text=True)
    assert "(0–12,5, weight 7)" in _fieldsets(english)[0]
    assert "Save draft" in english and "Simpan draf" not in english

    count = len(world.criteria)
    db.session.delete(db.session.get(Criterion, first.id))
    db.session.commit()
    assert len(_fieldsets(web.get(url).get_data(as_text=True))) == count - 1


def test_the_juror_list_is_the_same_through_entry_and_category_assignments(web, make):
    world = build_world(make, entries=3)  # the juror judges this category whole
    other = make.category(world.competition, name="Kategori Dua")
    picked, left_out = (make.entry(other, status="submitted") for _ in range(2))
    verified = make.category(world.competition, name="Kategori Tiga")
    make.entry(verified, status="submitted")
    make.entry(world.category, status="draft")  # not submitted: not judged
    juror = world.juror.id
    db.session.add_all([
        Assignment(juror_id=juror, category_id=other.id, entry_id=picked.id),
        # an entry assigned as well as its whole category: listed once
        Assignment(juror_id=juror, category_id=world.category.id,
                   entry_id=world.entries[1].id),
        Assignment(juror_id=juror, category_id=verified.id, verifier=True),
        ConflictDeclaration(juror_id=juror, entry_id=world.entries[2].id, reason="Kerabat"),
    ])
    make.commit()
    listed = [e.id for e in assigned_entries(juror, world.competition.id)]
    assert set(listed) == {world.entries[0].id, world.entries[1].id, picked.id}
    assert left_out.id not in listed

    web.login("juri@juara.test")
    for n, entry_id in enumerate(listed):
        page = web.get(f"/jury/entry/{entry_id}").get_data(as_text=True)
        previous = str(listed[n - 1]) if n else None
        following = str(listed[n + 1]) if n + 1 < len(listed) else None
        assert _position(page) == (f"{n + 1} dari {len(listed)}", previous, following)


def _unfinished_offer(page: str) -> str | None:
    offer = re.search(r'id="next-unfinished">.*?</p>', page, re.S).group(0)
    found = re.search(r'href="/jury/entry/(\d+)"', offer)
    return found.group(1) if found else None


def test_the_juror_list_keeps_the_list_pages_order_not_the_order_rows_were_stored(web, make):
    world = build_world(make, entries=0)
    first = make.category(world.competition, name="Kategori Awal")
    world.category.position, first.position = 2, 1  # stored first, listed last
    later = [make.entry(world.category, status="submitted", code=c) for c in ("K-9", "K-10")]
    earlier = [make.entry(first, status="submitted", code=c) for c in ("B-2", "A-1", "C-3")]
    juror = world.juror.id
    db.session.add_all([Assignment(juror_id=juror, category_id=first.id),
                        Assignment(juror_id=juror, category_id=first.id,
                                   entry_id=earlier[1].id)])  # through both routes
    make.commit()
    listed = [e.id for e in assigned_entries(juror, world.competition.id)]
    assert listed == [earlier[1].id, earlier[0].id, earlier[2].id, later[1].id, later[0].id]

    web.login("juri@juara.test")
    for entry, category in ((later[1], world.category), (earlier[0], first)):
        sent = web.post(f"/jury/entry/{entry.id}/score",  # sent: the way on skips them
                        form_data(replace(world, category=category), entry, [80, 70, 90, 60],
                                  submit=True))
        assert sent.status_code == 302
    for n, entry_id in enumerate(listed):
        page = web.get(f"/jury/entry/{entry_id}").get_data(as_text=True)
        previous = str(listed[n - 1]) if n else None
        following = str(listed[n + 1]) if n + 1 < len(listed) else None
        assert _position(page) == (f"{n + 1} dari {len(listed)}", previous, following)
    page = web.get(f"/jury/entry/{earlier[0].id}").get_data(as_text=True)
    assert _unfinished_offer(page) == str(earlier[2].id)
    page = web.get(f"/jury/entry/{later[1].id}").get_data(as_text=True)
    assert _unfinished_offer(page) == str(later[0].id)


def test_the_juror_list_adds_no_row_to_the_page_statement(web, make, monkeypatch):
    world = build_world(make, entries=12)
    fetched = []
    rows = driver_sql.rows

    def counting(connection, statement, params=None):
        found = rows(connection, statement, params)
        if statement is scoring_entry._PAGE:
            fetched.append(len(found))
        return found

    monkeypatch.setattr(driver_sql, "rows", counting)
    web.login("juri@juara.test")
    page = web.get(f"/jury/entry/{world.entries[5].id}").get_data(as_text=True)
    assert _position(page)[0] == "6 dari 12"
    assert fetched == [1 + len(world.criteria)]  # the entry's row and its criteria


def test_the_juror_score_reads_the_kept_rubric_not_one_built_per_view(web, make, monkeypatch):
    world = build_world(make, entries=1)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, 90, 60]))
    built = []
    rubric = scores.rubric
    monkeypatch.setattr(scores, "rubric", lambda *a, **k: built.append(1) or rubric(*a, **k))
    pages = [web.get(f"/jury/entry/{entry.id}").get_data(as_text=True) for _ in range(3)]
    assert all('data-jury-total>75,00</output>' in page for page in pages)
    assert len(built) <= 1  # once, if this process had not kept this rubric yet
