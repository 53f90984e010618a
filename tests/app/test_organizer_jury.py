"""Jury: adding jurors with invitation links, assignments, conflicts, automatic assignment."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Assignment, ConflictDeclaration, Invitation, RoleGrant, User
from tests.app.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def assignments(category_id):
    return db.session.execute(select(Assignment.juror_id, Assignment.entry_id).where(
        Assignment.category_id == category_id)).all()


def test_add_new_juror_gives_grant_categories_and_link(org, world):
    a, b = world.category(name="A"), world.category(name="B")
    db.session.commit()
    response = org.post(f"/organizer/competitions/{world.competition.id}/jury/add", {
        "email": "Juri.Baru@juara.test", "name": "Juri Baru", "categories": [str(a.id)]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/auth/invitation/" in page
    assert "Berlaku sampai" in page
    user = db.session.scalar(select(User).where(User.email == "juri.baru@juara.test"))
    assert db.session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == user.id, RoleGrant.role == "juror")).competition_id == \
        world.competition.id
    assert assignments(a.id) == [(user.id, None)] and assignments(b.id) == []
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))
    assert invitation.purpose == "juror" and invitation.expires_at > invitation.created_at


def test_existing_account_gets_the_role_without_a_link(org, world, make):
    make.user("lama@juara.test")
    make.commit()
    page = org.post(f"/organizer/competitions/{world.competition.id}/jury/add",
                    {"email": "lama@juara.test"}).get_data(as_text=True)
    assert "sudah punya kata sandi" in page
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_assignment_grid_adds_and_removes(org, world, make):
    a, b = world.category(name="A"), world.category(name="B")
    j1 = make.juror(world.competition, [a])
    j2 = make.juror(world.competition)
    make.commit()
    org.post(f"/organizer/competitions/{world.competition.id}/jury/assign",
             {"pairs": [f"{j1.id}:{b.id}", f"{j2.id}:{a.id}"]})
    assert assignments(a.id) == [(j2.id, None)]
    assert assignments(b.id) == [(j1.id, None)]


def test_grid_ignores_jurors_of_other_competitions(org, world, make):
    a = world.category()
    outsider = make.juror(make.competition(world.body, name="Lain"))
    make.commit()
    response = org.post(f"/organizer/competitions/{world.competition.id}/jury/assign",
                        {"pairs": [f"{outsider.id}:{a.id}"]}, follow_redirects=True)
    assert "tidak valid" in response.get_data(as_text=True)
    assert assignments(a.id) == []


def test_conflicts_are_listed_and_cannot_be_picked(org, world, make):
    category = world.category()
    entry = make.entry(category, status="submitted")
    juror = make.juror(world.competition, name="Juri Berkonflik")
    db.session.add(ConflictDeclaration(juror_id=juror.id, entry_id=entry.id,
                                       reason="Saudara kandung kepala dinas"))
    make.commit()
    page = org.get(f"/organizer/competitions/{world.competition.id}/jury").get_data(as_text=True)
    assert "Saudara kandung kepala dinas" in page and "Juri Berkonflik" in page
    page = org.post(f"/organizer/categories/{category.id}/jury", {
        "pick-juror_id": str(juror.id), "pick-entries": [str(entry.id)]},
        follow_redirects=True).get_data(as_text=True)
    assert "konflik kepentingan" in page
    assert assignments(category.id) == []


def test_picking_entries_for_one_juror(org, world, make):
    category = world.category()
    e1, e2 = make.entry(category), make.entry(category)
    juror = make.juror(world.competition)
    make.commit()
    org.post(f"/organizer/categories/{category.id}/jury", {
        "pick-juror_id": str(juror.id), "pick-entries": [str(e1.id), str(e2.id)]})
    org.post(f"/organizer/categories/{category.id}/jury", {
        "pick-juror_id": str(juror.id), "pick-entries": [str(e2.id)]})
    assert assignments(category.id) == [(juror.id, e2.id)]


def test_automatic_assignment_is_balanced_and_avoids_conflicts(org, world, make):
    category = world.category()
    entries = [make.entry(category, status="submitted") for _ in range(7)]
    make.entry(category, status="draft")  # not judged, not assigned
    jurors = [make.juror(world.competition, [category]) for _ in range(3)]
    db.session.add(ConflictDeclaration(juror_id=jurors[0].id, entry_id=entries[0].id,
                                       reason="Mantan pegawai"))
    make.commit()
    response = org.post(f"/organizer/categories/{category.id}/jury", {
        "auto-pool": [str(j.id) for j in jurors], "auto-per_entry": "2"}, follow_redirects=True)
    assert "beban juri 4–5" in response.get_data(as_text=True)
    rows = assignments(category.id)
    assert all(entry_id is not None for _, entry_id in rows)  # category-wide rows replaced
    per_entry = Counter(entry_id for _, entry_id in rows)
    assert set(per_entry) == {e.id for e in entries} and set(per_entry.values()) == {2}
    loads = Counter(juror_id for juror_id, _ in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert (jurors[0].id, entries[0].id) not in rows


def test_automatic_assignment_says_when_impossible(org, world, make):
    category = world.category()
    entry = make.entry(category, status="submitted", code="K-001")
    jurors = [make.juror(world.competition) for _ in range(2)]
    db.session.add(ConflictDeclaration(juror_id=jurors[0].id, entry_id=entry.id, reason="x"))
    make.commit()
    page = org.post(f"/organizer/categories/{category.id}/jury", {
        "auto-pool": [str(j.id) for j in jurors], "auto-per_entry": "2"},
        follow_redirects=True).get_data(as_text=True)
    assert "tidak punya cukup juri tanpa konflik" in page and "K-001" in page
    assert assignments(category.id) == []


def test_new_link_for_juror_of_another_competition_is_refused(org, world, make):
    outsider = make.juror(make.competition(world.body, name="Lain"))
    outsider.password_hash = None
    make.commit()
    page = org.post(f"/organizer/competitions/{world.competition.id}/jury/{outsider.id}/invite",
                    {}, follow_redirects=True).get_data(as_text=True)
    assert "Juri tidak ditemukan" in page
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_conflict_after_assignment_removes_it_alerts_and_offers_a_replacement(org, world, make):
    category = world.category()
    entries = [make.entry(category, status="submitted") for _ in range(3)]
    jurors = [make.juror(world.competition, [category], name=f"Juri {n}") for n in "ABC"]
    world.competition.phase = "judging"
    make.commit()
    org.post(f"/organizer/categories/{category.id}/jury", {
        "auto-pool": [str(j.id) for j in jurors], "auto-per_entry": "2"})
    leaving = next(j for j, e in assignments(category.id) if e == entries[0].id)
    free = next(j.id for j in jurors
                if (j.id, entries[0].id) not in assignments(category.id))
    leaver = db.session.get(User, leaving)

    org.logout()
    org.login(leaver.email)
    org.post(f"/jury/entry/{entries[0].id}/conflict", {"reason": "Adik kepala dinas"})
    org.logout()
    org.login(world.organizer.email)
    assert (leaving, entries[0].id) not in assignments(category.id)
    base = f"/organizer/competitions/{world.competition.id}"
    for page in (org.get(base + "/progress"), org.get(base + "/jury")):
        html = page.get_data(as_text=True)
        assert 'id="conflict-gaps"' in html and entries[0].code in html
        assert "1 / 2" in html

    declaration = db.session.scalar(select(ConflictDeclaration))
    page = org.post(f"{base}/conflicts/{declaration.id}/replace", {"back": "progress"},
                    follow_redirects=True).get_data(as_text=True)
    assert "ditugaskan sebagai juri pengganti" in page
    assert (free, entries[0].id) in assignments(category.id)
    assert 'id="conflict-gaps"' not in page


def test_organizer_records_a_conflict_for_a_juror_with_a_reason(org, world, make):
    category = world.category()
    entry = make.entry(category, status="submitted")
    juror = make.juror(world.competition, [category], name="Juri Kerabat")
    world.competition.phase = "judging"
    make.commit()
    base = f"/organizer/competitions/{world.competition.id}"
    page = org.post(base + "/jury/conflicts", {"juror_id": str(juror.id),
                    "entry_id": str(entry.id), "reason": ""},
                    follow_redirects=True).get_data(as_text=True)
    assert "Alasan wajib diisi." in page
    assert db.session.scalar(select(func.count()).select_from(ConflictDeclaration)) == 0
    page = org.post(base + "/jury/conflicts", {"juror_id": str(juror.id),
                    "entry_id": str(entry.id), "reason": "Suami kepala OPD"},
                    follow_redirects=True).get_data(as_text=True)
    assert "Suami kepala OPD" in page and "dicatat penyelenggara" in page
    declaration = db.session.scalar(select(ConflictDeclaration))
    assert declaration.recorded_by_id == world.organizer.id
    from judging.models import AuditEvent
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflict.recorded"))
    assert event.actor_id == world.organizer.id and event.after["reason"] == "Suami kepala OPD"
    # the juror no longer sees the entry; the category-wide juror leaves a gap to fill
    assert 'id="conflict-gaps"' in page
