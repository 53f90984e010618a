"""A real Chromium signs in through the login form."""


def test_organizer_logs_in_through_the_real_form(live_server, page, make):
    comp = make.competition(name="IKP Fest")
    make.organizer(comp, email="org@juara.test", name="Sari")
    make.commit()

    page.goto(live_server.url + "/")
    page.click("#login-link")
    page.fill("input[name=email]", "org@juara.test")
    page.fill("input[name=password]", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/organizer/")
    assert "IKP Fest" in page.content()
    assert page.locator(".who").inner_text() == "Sari"

    page.click("#logout")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/organizer/")
    assert "/auth/login" in page.url


def test_wrong_password_shows_a_message(live_server, page, make):
    make.user("a@juara.test")
    make.commit()
    page.goto(live_server.url + "/auth/login")
    page.fill("input[name=email]", "a@juara.test")
    page.fill("input[name=password]", "salah sekali")
    page.click("#login-submit")
    assert page.locator(".flash-error").inner_text() == "Email atau kata sandi salah."
