"""Signing in and out: the refusals that protect accounts."""

from judging.extensions import db
from judging.models import User, UserSession


def test_organizer_signs_in_and_lands_on_their_page(web, make):
    comp = make.competition()
    organizer = make.organizer(comp, email="org@juara.test")
    make.commit()
    response = web.login(organizer.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organizer/")
    assert web.get("/organizer/").status_code == 200


def test_wrong_password_is_refused(web, make):
    make.user("a@juara.test")
    make.commit()
    response = web.login("a@juara.test", "not the password")
    assert response.status_code == 401
    assert "Email atau kata sandi salah" in response.get_data(as_text=True)
    assert web.get("/organizer/").status_code == 302  # still anonymous → login page


def test_unknown_email_gets_the_same_message(web):
    response = web.login("nobody@juara.test")
    assert response.status_code == 401
    assert "Email atau kata sandi salah" in response.get_data(as_text=True)


def test_disabled_account_is_refused(web, make):
    make.user("off@juara.test", disabled=True)
    make.commit()
    response = web.login("off@juara.test")
    assert response.status_code == 401
    assert "dinonaktifkan" in response.get_data(as_text=True)


def test_disabling_ends_an_open_session(web, make):
    comp = make.competition()
    organizer = make.organizer(comp)
    make.commit()
    web.login(organizer.email)
    assert web.get("/organizer/").status_code == 200
    organizer.disabled = True
    db.session.commit()
    assert web.get("/organizer/").status_code == 302


def test_login_without_csrf_token_is_refused(client, make):
    make.user("a@juara.test")
    make.commit()
    response = client.post(
        "/auth/login", data={"email": "a@juara.test", "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert db.session.query(UserSession).count() == 0


def test_logout_without_csrf_token_is_refused(web, make):
    comp = make.competition()
    make.organizer(comp, email="o@juara.test")
    make.commit()
    web.login("o@juara.test")
    assert web.client.post("/auth/logout").status_code == 400
    assert web.get("/organizer/").status_code == 200


def test_session_is_rotated_at_login(web, make):
    make.user("a@juara.test")
    make.commit()
    web.get("/auth/login")
    before = web.client.get_cookie("juara_session").value
    web.login("a@juara.test")
    after = web.client.get_cookie("juara_session").value
    assert before != after


def test_logout_kills_a_replayed_cookie(app, web, make):
    comp = make.competition()
    make.organizer(comp, email="o@juara.test")
    make.commit()
    web.login("o@juara.test")
    stolen = web.client.get_cookie("juara_session").value
    assert web.logout().status_code == 302
    assert db.session.query(UserSession).count() == 0

    thief = app.test_client()
    thief.set_cookie("juara_session", stolen)
    response = thief.get("/organizer/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_open_redirect_after_login_is_ignored(web, make):
    make.user("a@juara.test")
    make.commit()
    web.get("/auth/login")
    response = web.post(
        "/auth/login?next=https://evil.example/", {"email": "a@juara.test",
                                                   "password": "correct horse battery"}
    )
    assert "evil.example" not in response.headers["Location"]


def test_password_is_hashed_with_scrypt_at_full_cost(app):
    account = User(email="a@juara.test", name="A")  # not the factory: its hash is cheap
    account.set_password("correct horse battery")
    assert account.password_hash.startswith("scrypt:32768:8:1$")
    assert "correct horse battery" not in account.password_hash
    assert account.check_password("correct horse battery")
