"""The site administrator's own pages: accounts and roles, organising bodies, jobs."""

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.models import AuditEvent, Job, UserSession

ADMIN_PAGES = ["/organizer/admin", "/organizer/admin/users", "/organizer/admin/organisations",
               "/organizer/admin/jobs"]


@pytest.fixture
def site(make):
    body = make.organisation(name="Diskominfo Kota Contoh")
    competition = make.competition(body, name="IKP Fest")
    admin = make.user("admin@juara.test", name="Admin Situs", is_admin=True)
    organizer = make.organizer(competition, email="org@juara.test", name="Sari Organizer")
    juror = make.juror(competition, email="juri@juara.test", name="Budi Juri")
    db.session.add(Job(id="job-1", kind="certificates.issue", state="failed", message="rusak",
                       competition_id=competition.id))
    db.session.add(Job(id="job-2", kind="export.ranking", state="done"))
    make.commit()
    return admin, organizer, juror, body


def test_the_admin_starts_on_their_own_page_linking_to_each_admin_page(web, site):
    response = web.login("admin@juara.test")
    assert response.headers["Location"].endswith("/organizer/admin")
    page = web.get("/organizer/admin").get_data(as_text=True)
    for url in ADMIN_PAGES[1:]:
        assert f'href="{url}"' in page


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_the_admin_reaches_the_admin_pages(web, site, url):
    web.login("org@juara.test")
    assert web.get(url).status_code == 403
    web.logout()
    web.login("juri@juara.test")
    assert web.get(url).status_code == 403
    web.logout()
    web.login("admin@juara.test")
    assert web.get(url).status_code == 200


def test_users_list_shows_roles_and_searches_by_name_or_email(web, site):
    web.login("admin@juara.test")
    page = web.get("/organizer/admin/users").get_data(as_text=True)
    assert "org@juara.test" in page and "juri@juara.test" in page
    assert "penyelenggara · IKP Fest" in page
    found = web.get("/organizer/admin/users?q=budi").get_data(as_text=True)
    assert "juri@juara.test" in found and "org@juara.test" not in found


def test_disabling_ends_sessions_is_audited_and_can_be_undone(web, site, app):
    _admin, organizer, _juror, _body = site
    other = app.test_client()
    from tests.conftest import Browser

    organizer_browser = Browser(other)
    organizer_browser.login("org@juara.test")
    assert organizer_browser.get("/organizer/").status_code == 200

    web.login("admin@juara.test")
    response = web.post(f"/organizer/admin/users/{organizer.id}/disabled", {"disabled": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert organizer.disabled
    assert not db.session.scalars(select(UserSession).where(
        UserSession.user_id == organizer.id)).all()
    assert organizer_browser.get("/organizer/").status_code == 302  # signed out
    assert organizer_browser.login("org@juara.test").headers.get("Location", "") \
        != "/organizer/"

    web.post(f"/organizer/admin/users/{organizer.id}/disabled", {"disabled": "0"})
    db.session.expire_all()
    assert not organizer.disabled
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == organizer.id)
        .order_by(AuditEvent.id)).all()
    assert actions == ["user.disabled", "user.enabled"]


def test_the_admin_cannot_disable_themselves(web, site):
    admin = site[0]
    web.login("admin@juara.test")
    page = web.post(f"/organizer/admin/users/{admin.id}/disabled", {"disabled": "1"},
                    follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert not admin.disabled
    assert "tidak dapat dinonaktifkan" in page


def test_the_switch_refuses_a_missing_token_or_value(web, site):
    organizer = site[1]
    web.login("admin@juara.test")
    assert web.post(f"/organizer/admin/users/{organizer.id}/disabled",
                    {"disabled": "maybe"}).status_code == 400
    assert web.client.post(f"/organizer/admin/users/{organizer.id}/disabled",
                           data={"disabled": "1"}).status_code == 400
    db.session.expire_all()
    assert not organizer.disabled


def test_organisations_and_jobs_pages(web, site):
    web.login("admin@juara.test")
    bodies = web.get("/organizer/admin/organisations").get_data(as_text=True)
    assert "Diskominfo Kota Contoh" in bodies
    jobs = web.get("/organizer/admin/jobs").get_data(as_text=True)
    assert 'data-job="job-1"' in jobs and 'data-job="job-2"' in jobs
    failed = web.get("/organizer/admin/jobs?state=failed").get_data(as_text=True)
    assert 'data-job="job-1"' in failed and 'data-job="job-2"' not in failed
    assert web.get("/organizer/jobs/job-2").status_code == 200
