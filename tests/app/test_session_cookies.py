"""Session cookies verified once per process: the same answers as verifying every time."""

from __future__ import annotations

import time

from flask import request

from judging.security import VerifiedOnceSessions


def _open(app, cookie):
    with app.test_request_context(headers={"Cookie": f"juara_session={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_a_kept_cookie_gives_a_fresh_copy_each_request(app):
    assert isinstance(app.session_interface, VerifiedOnceSessions)
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"sid": "s1", "_flashes": [("info", "pertama")]})
    first = _open(app, cookie)
    first["_flashes"].append(("info", "kedua"))  # what flash() does to the list
    first["sid"] = "changed"
    second = _open(app, cookie)
    assert second["sid"] == "s1" and second["_flashes"] == [("info", "pertama")]


def test_a_kept_cookie_still_expires_and_a_changed_one_is_refused(app, monkeypatch):
    signing = app.session_interface.get_signing_serializer(app)
    cookie = signing.dumps({"sid": "s1"})
    assert _open(app, cookie)["sid"] == "s1"
    assert dict(_open(app, cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))) == {}
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + lifetime + 5)
    assert dict(_open(app, cookie)) == {}


def test_a_new_secret_key_forgets_cookies_signed_with_the_old(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"sid": "s1"})
    assert _open(app, cookie)["sid"] == "s1"
    app.secret_key = "another-secret-key-for-this-test"
    assert dict(_open(app, cookie)) == {}


def test_an_unchanged_session_sets_no_cookie_and_a_signed_out_one_stays_out(web, make):
    make.user("a@juara.test")
    make.commit()
    web.login("a@juara.test")
    web.get("/auth/password")  # the first page starts the session's form token
    cookie = web.client.get_cookie("juara_session").value
    response = web.get("/auth/password")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Cookie" in response.headers["Vary"]
    web.post("/auth/logout", {})
    web.client.set_cookie("juara_session", cookie)  # the copied cookie of the ended session
    assert web.get("/auth/password").status_code == 302
