"""Issue 12, item 1: an organizer of another body never obtains a set-password link for an
account it did not create, and setting a password ends every other link and session."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from judging.accounts.invitations import create_invitation
from judging.extensions import db
from judging.models import AuditEvent, Invitation, RoleGrant, User, UserSession
from tests.app.organizer_world import build_world
from tests.conftest import Browser

VICTIM = "admin.kel@juara.test"
REAL = "kalimat rahasia milik sari"
ATTACKER = "kata sandi penyerang b"


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def bodies(world, make):
    """Body A (the world) with an entrant; body B with its own organizer, competition, entrant."""
    world.entrant_a = make.entrant(world.body, code="KEL-A")
    world.body_b = make.organisation(name="Diskominfo Kota Lain", code="LAIN")
    world.organizer_b = make.user("org.b@juara.test", name="Budi Lain")
    make.grant(world.organizer_b, "organizer", organisation_id=world.body_b.id)
    world.competition_b = make.competition(world.body_b, name="Lomba Lain", code="LAIN-2026")
    world.entrant_b = make.entrant(world.body_b, code="KEL-B")
    make.commit()
    return world


def browser(app, email=None, password="correct horse battery") -> Browser:
    who = Browser(app.test_client())
    if email:
        assert who.login(email, password).status_code == 302
    return who


def link_path(page: str) -> str:
    start = page.index('id="invitation-link" value="') + len('id="invitation-link" value="')
    link = page[start:page.index('"', start)]
    return link[link.index("/auth/"):]


def outstanding_link(app, user, **kw) -> str:
    """A link made directly, as one handed out before this fix would have been."""
    with app.test_request_context():
        link = create_invitation(user, "participant", **kw)
    db.session.commit()
    return link[link.index("/auth/"):]


def accept(who: Browser, path: str, password: str):
    return who.post(path, {"name": "Sari", "password": password, "confirm": password})


def victim() -> User:
    return db.session.scalar(select(User).where(User.email == VICTIM))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_another_bodys_organizer_gets_no_link_through_jury_add_or_entrant_invite(app, bodies):
    org_a, org_b = browser(app, bodies.organizer.email), browser(app, bodies.organizer_b.email)
    page_a = org_a.post(f"/organizer/entrants/{bodies.entrant_a.id}/invite",
                        {"email": VICTIM, "name": "Sari"}).get_data(as_text=True)
    own_link = link_path(page_a)
    assert victim().created_by_organisation_id == bodies.body.id

    added = org_b.post(f"/organizer/competitions/{bodies.competition_b.id}/jury/add",
                       {"email": VICTIM.upper(), "name": "Siapa Saja"})
    page = added.get_data(as_text=True)
    assert added.status_code == 200 and "invitation-link" not in page
    assert 'id="invited-other-body"' in page and "penyelenggara lain" in page
    invited = org_b.post(f"/organizer/entrants/{bodies.entrant_b.id}/invite",
                         {"email": VICTIM, "name": "Siapa Saja"}).get_data(as_text=True)
    assert "invitation-link" not in invited and 'id="invited-other-body"' in invited
    again = org_b.post(
        f"/organizer/competitions/{bodies.competition_b.id}/jury/{victim().id}/invite", {},
        follow_redirects=True).get_data(as_text=True)
    assert "invitation-link" not in again and "penyelenggara lain" in again
    jury_b = org_b.get(f"/organizer/competitions/{bodies.competition_b.id}/jury")
    assert f"reinvite-{victim().id}" not in jury_b.get_data(as_text=True)

    assert count(Invitation) == 1  # only body A's own link exists
    roles = set(db.session.execute(select(RoleGrant.role, RoleGrant.competition_id,
                                          RoleGrant.entrant_id)
                                   .where(RoleGrant.user_id == victim().id)).all())
    assert roles == {("participant", None, bodies.entrant_a.id),
                     ("juror", bodies.competition_b.id, None),
                     ("participant", None, bodies.entrant_b.id)}
    notices = db.session.scalars(select(AuditEvent.after).where(
        AuditEvent.action == "account.notice_pending")).all()
    assert [n["reason"] for n in notices] == ["other_body", "other_body"]

    person = browser(app)
    assert accept(person, own_link, REAL).status_code == 302
    assert browser(app).login(VICTIM, REAL).status_code == 302


def test_english_page_says_why_there_is_no_link(app, bodies, make):
    db.session.add(User(email=VICTIM, name="Sari", created_by_organisation_id=bodies.body.id))
    make.commit()
    org_b = browser(app, bodies.organizer_b.email)
    page = org_b.post(f"/organizer/competitions/{bodies.competition_b.id}/jury/add?lang=en",
                      {"email": VICTIM}).get_data(as_text=True)
    assert "created by another organising body" in page and "invitation-link" not in page


def test_an_older_link_stops_working_once_the_real_person_sets_a_password(app, bodies):
    org_a = browser(app, bodies.organizer.email)
    first = link_path(org_a.post(f"/organizer/entrants/{bodies.entrant_a.id}/invite",
                                 {"email": VICTIM, "name": "Sari"}).get_data(as_text=True))
    # A link that leaked earlier (before this fix, body B's organizer received one like it).
    leaked = outstanding_link(app, victim(), created_by=bodies.organizer_b)

    assert accept(browser(app), first, REAL).status_code == 302
    attacker = browser(app)
    assert attacker.get(leaked).status_code == 410
    assert accept(attacker, leaked, ATTACKER).status_code == 410
    assert browser(app).login(VICTIM, REAL).status_code == 302
    assert browser(app).login(VICTIM, ATTACKER).status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Invitation)
                             .where(Invitation.used_at.is_(None))) == 0


def test_a_link_is_never_handed_for_an_account_that_once_had_a_password(app, bodies):
    org_a = browser(app, bodies.organizer.email)
    first = link_path(org_a.post(f"/organizer/entrants/{bodies.entrant_a.id}/invite",
                                 {"email": VICTIM, "name": "Sari"}).get_data(as_text=True))
    assert accept(browser(app), first, REAL).status_code == 302
    victim().password_hash = None  # "no password now" is not "never had one"
    db.session.commit()
    page = org_a.post(f"/organizer/entrants/{bodies.entrant_a.id}/invite",
                      {"email": VICTIM}).get_data(as_text=True)
    assert "invitation-link" not in page
    assert count(Invitation) == 1


def test_changing_the_password_ends_every_other_session_and_link(app, bodies, make):
    person = make.participant(bodies.entrant_a, email=VICTIM)
    make.commit()
    pending = outstanding_link(app, person, created_by=bodies.organizer)
    here, elsewhere = browser(app, VICTIM), browser(app, VICTIM)
    assert elsewhere.get("/participant/").status_code == 200
    assert count(UserSession) == 2

    changed = here.post("/auth/password", {"current": "correct horse battery",
                                           "password": REAL, "confirm": REAL})
    assert changed.status_code == 302
    assert here.get("/participant/").status_code == 200
    assert elsewhere.get("/participant/").status_code == 302  # sent to sign in
    assert count(UserSession) == 1
    assert browser(app).get(pending).status_code == 410
    assert browser(app).login(VICTIM, REAL).status_code == 302


def test_changing_the_password_needs_the_current_one(app, bodies, make):
    make.participant(bodies.entrant_a, email=VICTIM)
    make.commit()
    here = browser(app, VICTIM)
    refused = here.post("/auth/password", {"current": "tebakan salah sekali",
                                           "password": REAL, "confirm": REAL})
    assert refused.status_code == 400 and "Kata sandi saat ini salah" in refused.get_data(
        as_text=True)
    assert browser(app).login(VICTIM).status_code == 302
