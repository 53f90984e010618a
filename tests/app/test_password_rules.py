"""Issue 12, items 4 and 5: sign-in does the same work for unknown e-mails, and every form that
sets a password follows the ASVS V6.2 policy, saying why in the user's language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import judging.passwords
from judging.extensions import db
from judging.models import User
from judging.passwords import password_problem, verify
from tests.app.organizer_world import build_world
from tests.app.test_account_takeover import accept, browser, link_path


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def hashes(monkeypatch):
    """Counts scrypt checks made while signing in."""
    calls = []
    real = judging.passwords.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(judging.passwords, "check_password_hash", counting)
    return calls


def test_sign_in_checks_one_hash_whether_or_not_the_account_exists(app, world, make, hashes):
    db.session.add(User(email="tanpa.sandi@juara.test", name="Belum Aktif"))
    make.commit()
    attempts = [("org@juara.test", "salah sekali kata sandinya"),
                ("tidak.ada@juara.test", "salah sekali kata sandinya"),
                ("tanpa.sandi@juara.test", "salah sekali kata sandinya")]
    for email, password in attempts:
        before = len(hashes)
        response = browser(app).login(email, password)
        assert response.status_code == 401
        assert len(hashes) == before + 1, email
    assert all(stored.startswith("scrypt:") for stored in hashes)
    assert hashes[1] == hashes[2] != hashes[0]  # the dummy hash stands in for the missing one
    assert browser(app).login("org@juara.test").status_code == 302


def test_verify_never_accepts_a_missing_account_or_password():
    assert verify(None, "no account has this password") is False
    assert verify(User(email="x@y.id", name="X"), "no account has this password") is False


@pytest.mark.parametrize("password, refused", [
    ("1234567890", True), ("qwertyuiop", True), ("Password123", True), ("1234 5678 90", True),
    ("pendek", True), ("x" * 129, True), ("sari@juara.test", True), ("sari@juara", False),
    ("kalimat rahasia milik sari", False), ("ä" * 64, False), ("x" * 128, False),
    ("123456789012", False),
])
def test_policy(password, refused):
    assert (password_problem(password, email="sari@juara.test", name="Sari") is not None
            ) == refused


def invite(app, world, make):
    entrant = make.entrant(world.body, code="KEL-1")
    make.commit()
    org = browser(app, world.organizer.email)
    return link_path(org.post(f"/organizer/entrants/{entrant.id}/invite",
                              {"email": "sari@juara.test", "name": "Sari"}).get_data(as_text=True))


@pytest.mark.parametrize("lang, says", [
    ("id", "terlalu umum atau pernah bocor"), ("en", "too common or has appeared in a breach")])
def test_accepting_an_invitation_refuses_a_common_password(app, world, make, lang, says):
    path = invite(app, world, make)
    person = browser(app)
    refused = accept(person, f"{path}?lang={lang}", "1234567890")
    assert refused.status_code == 200 and says in refused.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "sari@juara.test"))
    assert user.password_hash is None and user.password_set_at is None
    long = "kalimat yang panjang sekali " * 2 + "dan masih bisa diingat oleh sari"
    assert len(long) >= 64
    assert accept(person, path, long).status_code == 302
    assert browser(app).login("sari@juara.test", long).status_code == 302


def test_changing_to_a_common_password_is_refused(app, world):
    here = browser(app, world.organizer.email)
    refused = here.post("/auth/password?lang=en", {"current": "correct horse battery",
                                                   "password": "qwertyuiop",
                                                   "confirm": "qwertyuiop"})
    assert refused.status_code == 200
    assert "too common or has appeared in a breach" in refused.get_data(as_text=True)
    assert browser(app).login(world.organizer.email).status_code == 302


def test_create_user_refuses_a_common_or_personal_password(runner):
    common = runner.invoke(args=["create-user", "--email", "b@juara.test", "--name", "B",
                                 "--password", "1234567890"])
    assert common.exit_code != 0 and "too common" in common.output
    personal = runner.invoke(args=["create-user", "--email", "budiman@juara.test", "--name",
                                   "B", "--password", "budiman@juara.test"])
    assert personal.exit_code != 0 and "e-mail address or name" in personal.output
    assert db.session.scalar(select(User)) is None
