"""What every request pays for, made cheaper: still the same user, roles, language and refusals."""

from __future__ import annotations

import pytest
from flask import request
from flask_login.utils import _create_identifier
from sqlalchemy import create_engine, delete, event

from judging.extensions import db
from judging.models import RoleGrant, UserSession
from judging.security import _SIGNED_IN, _signed_in_rows, session_identifier


def _signed_in(web, make, email="juri@juara.test"):
    comp = make.competition()
    category = make.category(comp)
    user = make.juror(comp, [category], email=email)
    make.grant(user, "organizer", competition_id=comp.id)
    make.commit()
    web.login(email)
    return comp, user


def test_the_signed_in_row_is_what_sqlalchemy_reads_and_listeners_see_it(web, make):
    _comp, user = _signed_in(web, make)
    sid = db.session.scalar(db.select(UserSession.id).where(UserSession.user_id == user.id))
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    connection = db.session.connection()
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        plain = _signed_in_rows(connection, sid)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    usual = connection.execute(_SIGNED_IN, {"sid": sid}).all()
    role = plain[0]._fields.index("role")
    assert sorted(plain, key=lambda r: r.role) == sorted(map(tuple, usual), key=lambda r: r[role])
    assert {r.role for r in plain} == {"juror", "organizer"}
    assert plain[0].created_at.tzinfo is not None and plain[0].is_admin is False
    assert len(seen) == 1  # the driver path dispatches the listeners itself
    assert _signed_in_rows(connection, "no-such-session") == []


def test_the_signed_in_row_with_named_parameters_too(web, make):
    _comp, user = _signed_in(web, make)
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the driver's cursor is used on SQLite only")
    sid = db.session.scalar(db.select(UserSession.id).where(UserSession.user_id == user.id))
    engine = create_engine(db.engine.url, paramstyle="named")
    try:
        with engine.connect() as connection:
            rows = _signed_in_rows(connection, sid)
    finally:
        engine.dispose()
    assert sorted(r.role for r in rows) == ["juror", "organizer"] and rows[0].id == user.id


def test_a_session_deleted_elsewhere_is_refused_at_the_next_request(web, make):
    _comp, user = _signed_in(web, make)
    assert web.get("/jury/").status_code == 200
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()  # as another worker's sign-out everywhere would
    response = web.get("/jury/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_role_revoked_is_refused_at_once_and_a_grant_seen_at_once(web, make):
    comp, user = _signed_in(web, make)
    assert web.get("/jury/").status_code == 200
    db.session.execute(delete(RoleGrant).where(RoleGrant.user_id == user.id,
                                               RoleGrant.role == "juror"))
    db.session.commit()
    assert web.get("/jury/").status_code == 403
    make.grant(db.session.get(type(user), user.id), "juror", competition_id=comp.id)
    make.commit()
    assert web.get("/jury/").status_code == 200


def test_a_language_switch_is_honoured_on_the_next_page_and_kept_on_the_account(web, make):
    _signed_in(web, make)
    assert 'lang="id"' in web.get("/jury/").get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    assert 'lang="en"' in web.get("/jury/").get_data(as_text=True)
    web.logout()
    web.client.delete_cookie("juara_session")
    assert 'lang="id"' in web.get("/auth/login").get_data(as_text=True)
    web.login("juri@juara.test")  # the account's choice comes back with the sign-in
    assert 'lang="en"' in web.get("/jury/").get_data(as_text=True)


def test_the_client_fingerprint_is_flask_logins_for_each_address_and_browser(app):
    clients = [("10.0.0.1", "Firefox", None), ("10.0.0.2", "Firefox", None),
               ("10.0.0.1", "Chrome", None), ("10.0.0.1", "Firefox", "192.0.2.9"),
               ("10.0.0.1", "Firefox", None)]
    seen = []
    for address, agent, forwarded in clients:
        headers = {"User-Agent": agent, **({"X-Forwarded-For": forwarded} if forwarded else {})}
        with app.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": address}):
            assert session_identifier() == _create_identifier()
            seen.append(session_identifier())
            assert request.remote_addr == address
    assert len(set(seen)) == 4 and seen[0] == seen[4]


def test_a_page_without_the_database_hands_no_mail_on(app, client, monkeypatch):
    from judging.mail import outgoing
    from judging.permissions import access

    @app.route("/_no_database")
    @access("public")
    def no_database():
        return "ok"

    asked = []
    monkeypatch.setattr(outgoing, "send_committed", lambda: asked.append(1))
    db.session.remove()
    assert client.get("/_no_database").status_code == 200
    assert asked == []  # no database session this request: nothing can have been committed
    db.session.info[outgoing.COMMITTED] = [1]
    assert client.get("/_no_database").status_code == 200
    assert asked == [1]


def test_an_anonymous_reader_gets_the_asked_then_the_chosen_language(web):
    assert 'lang="id"' in web.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in web.get("/auth/login?lang=en").get_data(as_text=True)
    assert 'lang="id"' in web.get("/auth/login?lang=xx").get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    assert 'lang="en"' in web.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in web.get("/auth/login?lang=id").get_data(as_text=True)  # session first
