"""Form tokens verified once per process: still refused when expired, foreign or unreferred."""

from __future__ import annotations

import time

import flask_wtf.csrf

from tests.conftest import csrf_from


def _signed_in(web, make, email: str) -> str:
    make.user(email)
    make.commit()
    web.login(email)
    return csrf_from(web.get("/auth/password").get_data(as_text=True))


def _counting_checks(monkeypatch) -> list:
    checked = []
    original = flask_wtf.csrf.validate_csrf

    def counted(*args, **kwargs):
        checked.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(flask_wtf.csrf, "validate_csrf", counted)
    return checked


def test_a_token_is_verified_once_then_accepted_without_its_signature_checked(web, make,
                                                                             monkeypatch):
    token = _signed_in(web, make, "a@juara.test")
    checked = _counting_checks(monkeypatch)
    for lang in ("en", "id", "en"):
        assert web.post("/auth/language", {"lang": lang, "csrf_token": token}).status_code == 302
    assert len(checked) == 1
    assert web.post("/auth/language", {"lang": "id", "csrf_token": token[:-2]}).status_code == 400
    assert web.post("/auth/language", {"lang": "id", "csrf_token": ""}).status_code == 400


def test_a_verified_token_is_refused_for_another_session(web, make, app):
    token = _signed_in(web, make, "a@juara.test")
    assert web.post("/auth/language", {"lang": "en", "csrf_token": token}).status_code == 302
    other = app.test_client()
    other.get("/auth/login")  # a session with its own token
    response = other.post("/auth/language", data={"lang": "en", "csrf_token": token})
    assert response.status_code == 400


def test_a_verified_token_expires_as_flask_wtf_says(web, make, app, monkeypatch):
    token = _signed_in(web, make, "a@juara.test")
    assert web.post("/auth/language", {"lang": "en", "csrf_token": token}).status_code == 302
    limit = app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + limit - 5)
    assert web.post("/auth/language", {"lang": "id", "csrf_token": token}).status_code == 302
    monkeypatch.setattr(time, "time", lambda: now + limit + 5)
    assert web.post("/auth/language", {"lang": "en", "csrf_token": token}).status_code == 400


def test_over_https_a_verified_token_still_needs_the_referrer(web, make, app):
    app.config["WTF_CSRF_SSL_STRICT"] = True
    token = _signed_in(web, make, "a@juara.test")
    post = {"lang": "en", "csrf_token": token}
    secure = {"base_url": "https://localhost"}
    assert web.client.post("/auth/language", data=post, headers={
        "Referer": "https://localhost/auth/password"}, **secure).status_code == 302
    assert web.client.post("/auth/language", data=post, **secure).status_code == 400
    assert web.client.post("/auth/language", data=post, headers={
        "Referer": "https://evil.example/"}, **secure).status_code == 400


def test_a_page_view_does_no_token_work_and_posts_still_honour_exemptions(web, make, app,
                                                                         monkeypatch):
    token = _signed_in(web, make, "a@juara.test")
    csrf = app.extensions["csrf"]
    looked_up = []
    original = type(csrf)._is_exempt

    def counted(self):
        looked_up.append(True)
        return original(self)

    monkeypatch.setattr(type(csrf), "_is_exempt", counted)
    assert web.get("/auth/password").status_code == 200
    assert web.client.head("/auth/password").status_code == 200
    assert looked_up == []  # a GET or HEAD changes nothing: no exemption looked up
    for lang in ("en", "id"):  # the token's first post (verified) and a later one (known)
        assert web.post("/auth/language", {"lang": lang, "csrf_token": token}).status_code == 302
    assert len(looked_up) == 2  # once a post
    assert web.client.post("/auth/language", data={"lang": "en"}).status_code == 400
