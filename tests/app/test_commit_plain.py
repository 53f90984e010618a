"""A view's commit of plain statements: the connection commits, the session expires what it
held; pending objects or work waiting for the commit take the session's own commit."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from judging.extensions import db
from judging.models import User
from judging.pages.outcome import commit_plain
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks


@pytest.fixture
def session_commits():
    """How many times a session ran its own commit (its before_commit event)."""
    seen = []

    def before(session):
        seen.append(session)

    event.listen(Session, "before_commit", before)
    yield seen
    event.remove(Session, "before_commit", before)


def test_a_save_commits_its_plain_statements_without_the_sessions_commit(web, make,
                                                                        session_commits):
    world = build_world(make)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [80, 70, 90, 60], submit=True)
    session_commits.clear()
    assert web.post(f"/jury/entry/{entry.id}/score", data).status_code == 302
    assert session_commits == []
    db.session.remove()
    assert sorted(stored_marks().values()) == [60, 70, 80, 90]  # committed


def test_what_the_session_held_is_read_afresh_after_the_commit(app, make, session_commits):
    juror_id = build_world(make).juror.id
    session_commits.clear()
    with app.test_request_context():
        assert db.session.get(User, juror_id).name == "Juri Satu"  # held by the session
        db.session.connection().execute(update(User.__table__).where(
            User.__table__.c.id == juror_id).values(name="Nama Baru"))
        commit_plain()
        assert session_commits == [] and not db.session().in_transaction()
        assert db.session.get(User, juror_id).name == "Nama Baru"
        with db.engine.connect() as other:  # another connection sees the write
            assert other.scalar(select(User.name).where(User.id == juror_id)) == "Nama Baru"


def test_pending_objects_and_waiting_work_take_the_sessions_commit(app, make,
                                                                   session_commits):
    from judging.plugin_setup import _after_commit

    juror_id = build_world(make).juror.id
    session_commits.clear()
    told = []
    with app.test_request_context():
        db.session.get(User, juror_id).name = "Diubah"
        commit_plain()
        assert len(session_commits) == 1
        db.session.connection()
        _after_commit(lambda: told.append("frozen"))
        commit_plain()
        assert len(session_commits) == 2 and told == ["frozen"]
    db.session.remove()
    assert db.session.get(User, juror_id).name == "Diubah"
