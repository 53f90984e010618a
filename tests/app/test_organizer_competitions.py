"""Organizer: creating, editing and copying competitions; roles; the competition page."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.models import Assignment, AuditEvent, Competition, Entry, RoleGrant
from tests.fixtures.worlds.organizer_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def org(web, world):
    web.login(world.organizer.email)
    return web


def test_home_lists_competitions_and_offers_create(org, world):
    page = org.get("/organizer/").get_data(as_text=True)
    assert "IKP Fest" in page and "Buat kompetisi" in page


def test_competition_organizer_cannot_create(web, make, world):
    only = make.organizer(world.competition, email="only@juara.test")
    make.commit()
    web.login(only.email)
    assert "Buat kompetisi" not in web.get("/organizer/").get_data(as_text=True)
    assert web.get("/organizer/competitions/new").status_code == 403


def test_create_competition_stores_deadline_in_utc(org, world):
    response = org.post("/organizer/competitions/new", {
        "name": "Anugerah KIP", "year": "2027", "organisation_id": str(world.body.id),
        "code": "KIP-2027", "timezone": "Asia/Makassar",
        "submission_deadline": "2027-08-17T23:59", "grace_minutes": "15",
        "judging_starts": "", "judging_ends": "",
        "award_labels": "Terbaik I\nTerbaik II\n\nTerbaik III",
    })
    assert response.status_code == 302
    made = db.session.scalar(select(Competition).where(Competition.name == "Anugerah KIP"))
    assert made.phase == "draft" and made.grace_minutes == 15
    # 23:59 WITA (UTC+8) is 15:59 UTC
    assert made.submission_deadline == datetime(2027, 8, 17, 15, 59, tzinfo=UTC)
    assert made.award_labels == ["Terbaik I", "Terbaik II", "Terbaik III"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.created"))
    assert event.competition_id == made.id and event.actor_id == world.organizer.id
    page = org.get(f"/organizer/competitions/{made.id}").get_data(as_text=True)
    assert "23.59" in page or "23:59" in page
    assert "WITA" in page


def test_create_refuses_duplicate_and_bad_window(org, world):
    base = {"name": "IKP Fest", "year": "2026", "organisation_id": str(world.body.id),
            "code": "X", "timezone": "Asia/Jakarta", "grace_minutes": "0",
            "award_labels": "Juara"}
    page = org.post("/organizer/competitions/new", base).get_data(as_text=True)
    assert "sudah ada" in page
    page = org.post("/organizer/competitions/new", dict(
        base, year="2030", judging_starts="2030-05-02T10:00", judging_ends="2030-05-01T10:00",
    )).get_data(as_text=True)
    assert "harus sesudah" in page
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 1


def test_edit_competition_is_audited(org, world):
    cid = world.competition.id
    response = org.post(f"/organizer/competitions/{cid}/edit", {
        "name": "IKP Fest Jabar", "year": "2026", "code": "IKP-2026",
        "timezone": "Asia/Jakarta", "submission_deadline": "2026-09-01T12:00",
        "grace_minutes": "30", "award_labels": "Emas\nPerak",
    })
    assert response.status_code == 302
    db.session.expire_all()
    competition = db.session.get(Competition, cid)
    assert competition.name == "IKP Fest Jabar"
    assert competition.submission_deadline == datetime(2026, 9, 1, 5, 0, tzinfo=UTC)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.updated"))
    assert event.before["name"] == "IKP Fest" and event.after["name"] == "IKP Fest Jabar"


def test_copy_takes_settings_rubric_and_jury_not_entries(org, world, make):
    category = world.category(name="KIP OPD", code="KIP", blind=True)
    category.criteria[0].label = "Komitmen pimpinan"
    entry = make.entry(category, status="submitted")
    juror = make.juror(world.competition, [category], email="j@juara.test")
    db.session.add(Assignment(juror_id=juror.id, category_id=category.id, entry_id=entry.id))
    make.commit()
    response = org.post(f"/organizer/competitions/{world.competition.id}/copy",
                        {"name": "IKP Fest", "year": "2027", "code": "IKP-2027"})
    assert response.status_code == 302
    copy = db.session.scalar(select(Competition).where(Competition.year == 2027))
    assert copy.phase == "draft" and copy.copied_from_id == world.competition.id
    assert copy.submission_deadline is None
    [new_category] = copy.categories
    assert new_category.blind and new_category.code == "KIP"
    assert new_category.criteria[0].label == "Komitmen pimpinan"
    assert [c.key for c in new_category.criteria] == [c.key for c in category.criteria]
    assert db.session.scalar(select(func.count()).select_from(Entry).where(
        Entry.category_id == new_category.id)) == 0
    assert db.session.scalar(select(RoleGrant).where(
        RoleGrant.competition_id == copy.id, RoleGrant.role == "juror")).user_id == juror.id
    copied = db.session.scalars(select(Assignment).where(
        Assignment.category_id == new_category.id)).all()
    assert [(a.juror_id, a.entry_id) for a in copied] == [(juror.id, None)]


def test_other_competitions_organizer_gets_403_and_nothing_changes(web, make, world):
    other_body = make.organisation()
    other = make.competition(other_body, name="Lain")
    intruder = make.organizer(other, email="intruder@juara.test")
    category = world.category()
    make.commit()
    web.login(intruder.email)
    cid = world.competition.id
    assert web.get(f"/organizer/competitions/{cid}").status_code == 403
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    attempts = [
        (f"/organizer/competitions/{cid}/edit", {"name": "Diretas", "year": "2026", "code": "X",
                                                 "timezone": "Asia/Jakarta",
                                                 "grace_minutes": "0", "award_labels": "x"}),
        (f"/organizer/competitions/{cid}/phase", {"target": "open"}),
        (f"/organizer/competitions/{cid}/categories/new", {"name": "X", "code": "X",
                                                           "method_key": "social_media",
                                                           "level": "opd", "places": "3"}),
        (f"/organizer/categories/{category.id}/edit", {"name": "Diretas"}),
        (f"/organizer/categories/{category.id}/criteria", {"rows-0-label": "x"}),
        (f"/organizer/competitions/{cid}/jury/add", {"email": "x@juara.test", "name": "X"}),
        (f"/organizer/organisations/{world.body.id}/entrants/new",
         {"code": "Z1", "name": "Z", "level": "opd"}),
        (f"/organizer/competitions/{cid}/copy", {"name": "C", "year": "2030", "code": "C"}),
    ]
    for url, data in attempts:
        assert web.post(url, data).status_code == 403, url
    for url in (f"/organizer/competitions/{cid}/progress", f"/organizer/competitions/{cid}/audit",
                f"/organizer/competitions/{cid}/jury", f"/organizer/categories/{category.id}",
                f"/organizer/organisations/{world.body.id}/entrants"):
        assert web.get(url).status_code == 403, url
    db.session.expire_all()
    competition = db.session.get(Competition, cid)
    assert competition.name == "IKP Fest" and competition.phase == "draft"
    assert category.name != "Diretas" and len(competition.categories) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_jurors_and_participants_get_403_on_every_organizer_route(app, web, make, world):
    category = world.category()
    entry = make.entry(category)
    juror = make.juror(world.competition, [category], email="juri@juara.test")
    participant = make.participant(entry.entrant, email="peserta@juara.test")
    make.commit()
    ids = {"competition_id": world.competition.id, "category_id": category.id,
           "organisation_id": world.body.id, "entrant_id": entry.entrant_id,
           "user_id": juror.id, "juror_id": juror.id}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("organizer.")]
    for person in (juror, participant):
        web.login(person.email)
        for rule in rules:
            url = rule.rule
            for name in rule.arguments:
                url = url.replace(f"<int:{name}>", str(ids.get(name, 1)))
                url = url.replace(f"<{name}>", "x")
            method = "GET" if "GET" in rule.methods else "POST"
            response = web.get(url) if method == "GET" else web.post(url, {})
            assert response.status_code == 403, (person.email, url)
        web.logout()
