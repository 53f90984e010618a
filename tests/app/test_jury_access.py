"""Who may write marks, and when: assignment, conflicts, phases; refusals change nothing."""

import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Assignment, AuditEvent, ConflictDeclaration, Scoresheet
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks


def test_unassigned_entry_is_refused_and_nothing_saved(web, make):
    world = build_world(make)
    other_category = make.category(world.competition)
    stranger = make.entry(other_category, status="submitted")
    make.commit()
    web.login("juri@juara.test")
    assert web.get(f"/jury/entry/{stranger.id}").status_code == 403
    data = form_data(world, world.entries[0], [80, 70, 90, 60], submit=True)
    data = {k.replace(str(world.entries[0].id), str(stranger.id)): v for k, v in data.items()}
    response = web.post(f"/jury/entry/{stranger.id}/score", data)
    assert response.status_code == 403
    assert stored_marks() == {}
    assert db.session.scalar(select(func.count(Scoresheet.id))) == 0


def test_entry_level_assignment_covers_only_that_entry(web, make):
    competition = make.competition(phase="judging")
    category = make.category(competition)
    first, second = (make.entry(category, status="submitted") for _ in range(2))
    juror = make.juror(competition, email="juri@juara.test")
    db.session.add(Assignment(juror_id=juror.id, category_id=category.id, entry_id=first.id))
    make.commit()
    web.login("juri@juara.test")
    listing = web.get(f"/jury/competition/{competition.id}").get_data(as_text=True)
    assert first.code in listing and second.code not in listing
    assert web.get(f"/jury/entry/{first.id}").status_code == 200
    assert web.get(f"/jury/entry/{second.id}").status_code == 403


def test_draft_entries_are_not_listed(web, make):
    world = build_world(make)
    hidden = make.entry(world.category, status="draft")
    make.commit()
    web.login("juri@juara.test")
    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    assert hidden.code not in listing
    assert web.get(f"/jury/entry/{hidden.id}").status_code == 403


def test_conflict_needs_a_reason_then_removes_the_entry_and_blocks_scoring(web, make):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{entry.id}/conflict", {"reason": "  "})
    assert response.status_code == 400 and "Alasan wajib diisi" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ConflictDeclaration.id))) == 0

    response = web.post(f"/jury/entry/{entry.id}/conflict",
                        {"reason": "Saudara kandung bekerja di sana"})
    assert response.status_code == 302
    declaration = db.session.scalar(select(ConflictDeclaration))
    assert (declaration.juror_id, declaration.entry_id) == (world.juror.id, entry.id)
    assert declaration.reason == "Saudara kandung bekerja di sana"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflict.declared"))
    assert event.object_id == entry.id and event.actor_id == world.juror.id

    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    assert f'data-entry="{entry.code}"' not in listing
    assert f'data-entry="{world.entries[1].code}"' in listing
    data = form_data(world, entry, [80, 70, 90, 60], submit=True)
    assert web.post(f"/jury/entry/{entry.id}/score", data).status_code == 403
    assert stored_marks() == {}


@pytest.mark.parametrize("phase", ["draft", "open", "moderation", "final", "published"])
def test_writes_outside_judging_are_refused_with_nothing_changed(web, make, phase):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    web.post(f"/jury/entry/{entry.id}/score", form_data(world, entry, [80, 70, 90, 60],
                                                         submit=True))
    before = stored_marks()
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    world.competition.phase = phase
    make.commit()
    response = web.post(f"/jury/entry/{entry.id}/score",
                        form_data(world, entry, [10, 10, 10, 10], submit=True))
    assert response.status_code == 403
    assert "Tidak ada yang disimpan" in response.get_data(as_text=True)
    other = world.entries[1]
    response = web.post(f"/jury/entry/{other.id}/score",
                        form_data(world, other, [10, 10, 10, 10], submit=True))
    assert response.status_code == 403
    assert stored_marks() == before
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    page = web.get(f"/jury/entry/{entry.id}").get_data(as_text=True)
    assert 'id="submit-sheet"' not in page


def test_conflict_cannot_be_declared_after_final(web, make):
    world = build_world(make, phase="final")
    web.login("juri@juara.test")
    response = web.post(f"/jury/entry/{world.entries[0].id}/conflict", {"reason": "kerabat"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(ConflictDeclaration.id))) == 0


def test_other_roles_cannot_reach_jury_pages(web, make):
    world = build_world(make)
    web.login("panitia@juara.test")
    assert web.get(f"/jury/entry/{world.entries[0].id}").status_code == 403
