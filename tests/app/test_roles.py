"""Role checks: the organizer pages belong to organizers."""

import pytest


@pytest.fixture
def people(make):
    comp = make.competition()
    category = make.category(comp)
    entry = make.entry(category)
    people = {
        "juror": make.juror(comp, [category], email="juri@juara.test"),
        "participant": make.participant(entry.entrant_id and entry.entrant, email="p@juara.test"),
        "organizer": make.organizer(comp, email="org@juara.test"),
    }
    make.commit()
    return people


@pytest.mark.parametrize("role", ["juror", "participant"])
def test_non_organizers_get_403_on_organizer_pages(web, people, role):
    web.login(people[role].email)
    assert web.get("/organizer/").status_code == 403


def test_anonymous_visitor_is_sent_to_login(web):
    response = web.get("/organizer/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "role, start", [("juror", "/jury/"), ("participant", "/participant/"),
                    ("organizer", "/organizer/")]
)
def test_each_role_lands_on_its_start_page(web, people, role, start):
    response = web.login(people[role].email)
    assert response.headers["Location"].endswith(start)
    assert web.get(start).status_code == 200


def test_403_page_is_friendly_and_translated(web, people):
    web.login(people["juror"].email)
    page = web.get("/organizer/").get_data(as_text=True)
    assert "Akses ditolak" in page
    web.post("/auth/language", {"lang": "en"})
    page = web.get("/organizer/").get_data(as_text=True)
    assert "Access denied" in page
