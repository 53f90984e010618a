"""One database connection a request (judging/request_connection.py): the signed-in read and
the page's reads share it, a page that loads no ORM object makes no ORM session, and the
signed-in user still attaches, loads its relationships and saves its changes."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from decimal import Decimal

from flask import g
from flask_login import current_user
from sqlalchemy import event, insert, select, update

from judging.extensions import db
from judging.models import Mark, User
from judging.models.types import utcnow
from judging.permissions import access
from judging.request_connection import RequestSession, held_connection
from tests.fixtures.worlds.jury_world import build_world, form_data, stored_marks


@contextmanager
def watched(monkeypatch):
    """Pool checkouts and checkins, and ORM sessions made, inside the block."""
    db.session.remove()
    seen = {"checkout": 0, "checkin": 0, "sessions": 0}

    def count(name):
        def counter(*_args):
            seen[name] += 1
        return counter

    listeners = [(name, count(name)) for name in ("checkout", "checkin")]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    made = RequestSession.__init__

    def making(self, *args, **kwargs):
        seen["sessions"] += 1
        made(self, *args, **kwargs)

    monkeypatch.setattr(RequestSession, "__init__", making)
    try:
        yield seen
    finally:
        monkeypatch.undo()
        for name, listener in listeners:
            event.remove(db.engine, name, listener)


def in_own_context(request):
    """Run a request as a server does: in a thread with no app context of the test's, so the
    request pushes its own and ends it (Flask-SQLAlchemy's teardown)."""
    answers = []
    thread = threading.Thread(target=lambda: answers.append(request()))
    thread.start()
    thread.join()
    return answers[0]


def _juror_page(web, make) -> str:
    entry_id = build_world(make, entries=1).entries[0].id
    web.login("juri@juara.test")
    return f"/jury/entry/{entry_id}"


def test_the_juror_page_takes_one_connection_and_makes_no_orm_session(web, make, monkeypatch):
    page = _juror_page(web, make)
    with watched(monkeypatch) as seen:
        response = in_own_context(lambda: web.get(page))
    assert response.status_code == 200 and "Skor" in response.get_data(as_text=True)
    # before: the session made for the signed-in read, then used by the page's own read
    assert seen == {"checkout": 1, "checkin": 1, "sessions": 0}


def test_a_save_runs_its_session_on_the_same_connection(web, make, monkeypatch):
    _juror_page(web, make)
    token = web.token()
    with watched(monkeypatch) as seen:
        response = in_own_context(lambda: web.client.post(
            "/auth/language", data={"lang": "en", "csrf_token": token}))
    assert response.status_code in (302, 303)
    assert seen["checkout"] == 1 and seen["checkin"] == 1 and seen["sessions"] >= 1
    saved = db.session.scalar(select(User.locale).where(User.email == "juri@juara.test"))
    assert saved == "en"  # the signed-in user, attached when the session was made, was saved


def test_the_signed_in_users_relationships_load_with_no_session_made_first(app, web, make):
    seen = {}

    @app.route("/_own_roles")
    @access("authenticated")
    def own_roles():
        seen["session before"] = db.session.registry.has()
        roles = sorted(grant.role for grant in current_user.grants)  # a lazy load
        seen["same user"] = (db.session.get(User, current_user.id)
                            is current_user._get_current_object())
        return ",".join(roles)

    _juror_page(web, make)
    db.session.remove()
    response = web.get("/_own_roles")
    assert response.get_data(as_text=True) == "juror"
    assert seen == {"session before": False, "same user": True}


def test_the_held_connection_is_the_sessions_and_goes_back_on_remove(app, web, make):
    seen = {}

    @app.route("/_connections")
    @access("authenticated")
    def connections():
        held = held_connection()
        seen["held"] = held is not None
        seen["session's"] = db.session.connection() is held
        seen["user attached"] = current_user._get_current_object() in db.session
        seen["waiting"] = "_judging_unattached_user" in g
        return "ok"

    _juror_page(web, make)
    db.session.remove()
    assert web.get("/_connections").status_code == 200
    assert seen == {"held": True, "session's": True, "user attached": True, "waiting": False}
    assert held_connection() is not None  # the test's app context is still open
    db.session.remove()
    assert held_connection() is None


def test_a_scoresheet_save_writes_and_commits_on_the_held_connection_with_no_session(
        web, make, monkeypatch):
    world = build_world(make, entries=1)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [80, 70, 90, 60], submit=True)
    data["csrf_token"] = web.token()
    with watched(monkeypatch) as seen:
        response = in_own_context(lambda: web.client.post(f"/jury/entry/{entry.id}/score",
                                                          data=data))
    assert response.status_code == 302
    assert seen == {"checkout": 1, "checkin": 1, "sessions": 0}
    assert sorted(stored_marks().values()) == [60, 70, 80, 90]  # committed, not reset away


def test_a_save_that_loses_a_race_undoes_its_plain_writes_before_showing_the_page(
        web, make, monkeypatch):
    """The first mark's update is made, the second finds another writer's version: the
    held connection's transaction is rolled back, and the refusal page reads afresh."""
    from judging.marking import marks as service

    world = build_world(make, entries=1)
    entry = world.entries[0]
    first, second = world.criteria[0], world.criteria[1]
    web.login("juri@juara.test")
    submitted = form_data(world, entry, [50, 60, 70, 80], submit=True)
    assert web.post(f"/jury/entry/{entry.id}/score", submitted).status_code == 302
    later = form_data(world, entry, [55, 65, 70, 80], submit=True)
    later["csrf_token"] = web.token()
    real_check = service._check_stale

    def check_then_lose_race(*args):
        real_check(*args)
        with db.engine.begin() as other:  # another worker's save, committed meanwhile
            other.execute(update(Mark).where(Mark.criterion_id == second.id)
                          .values(value=Decimal(99), version=Mark.version + 1))

    monkeypatch.setattr(service, "_check_stale", check_then_lose_race)
    with watched(monkeypatch) as seen:
        response = in_own_context(lambda: web.client.post(f"/jury/entry/{entry.id}/score",
                                                          data=later))
    assert response.status_code == 409
    assert seen["checkout"] == seen["checkin"] == 2  # the request's and the other writer's
    marks = {criterion: value for (_j, _e, criterion), value in stored_marks().items()}
    assert marks[first.id] == 50 and marks[second.id] == 99  # the first mark's update undone


def test_a_first_save_beaten_by_another_writer_is_refused_and_the_page_still_reads(
        web, make, monkeypatch):
    """The sheet's insert meets the unique key (on PostgreSQL that aborts the transaction):
    the held connection is rolled back before the refusal page reads the sheet again."""
    from judging.marking import marks as service
    from judging.models import Scoresheet

    world = build_world(make, entries=1)
    entry = world.entries[0]
    web.login("juri@juara.test")
    data = form_data(world, entry, [50, 60, 70, 80], submit=True)
    data["csrf_token"] = web.token()
    real_check = service._check_stale

    def check_then_lose_race(*args):
        real_check(*args)
        with db.engine.begin() as other:  # the same juror's other tab saved first
            other.execute(insert(Scoresheet.__table__).values(
                juror_id=world.juror.id, entry_id=entry.id, status="draft",
                overall_comment="", revisit_note="", version=1, updated_at=utcnow()))

    monkeypatch.setattr(service, "_check_stale", check_then_lose_race)
    response = in_own_context(lambda: web.client.post(f"/jury/entry/{entry.id}/score",
                                                      data=data))
    assert response.status_code == 409
    assert "diubah di tempat lain" in response.get_data(as_text=True)
    assert stored_marks() == {}  # none of this save's marks
