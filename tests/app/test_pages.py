"""Friendly error pages, language switching and local times."""

from datetime import UTC, datetime

from judging.i18n import localtime


def test_404_is_friendly_in_both_languages(web):
    response = web.get("/no-such-page")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    assert "Page not found" in web.get("/no-such-page").get_data(as_text=True)


def test_413_has_a_friendly_page(app, web):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = web.client.post("/auth/login", data={"x": "y" * 5000})
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_language_choice_is_remembered_on_the_account(web, make):
    account = make.user("a@juara.test")
    make.commit()
    web.login("a@juara.test")
    web.post("/auth/language", {"lang": "en"})
    assert account.locale == "en"
    assert "Sign out" in web.get("/").get_data(as_text=True)


def test_static_assets_are_served_locally(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/css/juara.css" in page and "http" not in page.split("<body")[0].replace(
        'http-equiv', '')
    response = client.get("/static/css/juara.css")
    assert response.status_code == 200
    response.close()


def test_times_are_shown_in_the_competition_zone(app):
    moment = datetime(2026, 8, 17, 3, 0, tzinfo=UTC)
    with app.test_request_context():
        assert "10.00" in localtime(moment, "Asia/Jakarta") or "10:00" in localtime(
            moment, "Asia/Jakarta")
        assert "WIB" in localtime(moment, "Asia/Jakarta")
        assert "WIT" in localtime(moment, "Asia/Jayapura")
