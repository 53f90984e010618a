"""The page frame (menu, account box, assets) kept per process: right for each reader."""

from __future__ import annotations

import re
import time

import jinja2.meta

from judging import ROOT, i18n
from judging.extensions import db
from judging.layout import SLOTS
from judging.models import RoleGrant


def _menu(page: str) -> str:
    return re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)


def _account(page: str) -> str:
    return re.search(r'<div class="account">.*?</div>', page, re.S).group(0)


def test_the_menu_follows_a_role_granted_and_revoked_at_the_next_request(web, make):
    comp = make.competition()
    category = make.category(comp)
    user = make.juror(comp, [category], email="juri@juara.test")
    make.commit()
    web.login("juri@juara.test")
    before = _menu(web.get("/auth/password").get_data(as_text=True))
    assert 'href="/jury/"' in before and 'href="/organizer/"' not in before

    grant = make.grant(user, "organizer", competition_id=comp.id)
    make.commit()
    granted = _menu(web.get("/auth/password").get_data(as_text=True))
    assert 'href="/organizer/"' in granted and 'href="/jury/"' in granted

    db.session.delete(db.session.get(RoleGrant, grant.id))
    db.session.commit()
    assert _menu(web.get("/auth/password").get_data(as_text=True)) == before


def test_the_frame_differs_per_language_and_per_role(web, make):
    comp = make.competition()
    category = make.category(comp)
    make.juror(comp, [category], email="juri@juara.test")
    make.organizer(comp, email="org@juara.test")
    make.commit()
    anonymous = web.get("/auth/login").get_data(as_text=True)
    assert 'id="login-link">Masuk<' in anonymous and 'id="logout"' not in anonymous

    web.login("juri@juara.test")
    juror = web.get("/auth/password").get_data(as_text=True)
    web.post("/auth/language", {"lang": "en"})
    juror_en = web.get("/auth/password").get_data(as_text=True)
    assert ">Penjurian</a>" in _menu(juror) and ">Judging</a>" in _menu(juror_en)
    assert '<html lang="id">' in juror and '<html lang="en">' in juror_en
    assert 'value="en" class="link active"' in _account(juror_en)
    assert 'value="id" class="link active"' in _account(juror)
    assert ">Keluar</button>" in juror and ">Sign out</button>" in juror_en

    web.post("/auth/logout", {})
    web.login("org@juara.test")
    organizer = web.get("/auth/password").get_data(as_text=True)
    assert 'href="/organizer/"' in _menu(organizer) and 'href="/jury/"' not in _menu(organizer)


def test_slots_carry_this_request_escaped(web, make):
    make.user("a@juara.test", name='Ani <b>"Kominfo"</b>')
    make.commit()
    web.login("a@juara.test")
    page = web.get("/auth/password?tab=<x>").get_data(as_text=True)
    account = _account(page)
    assert '<span class="who">Ani &lt;b&gt;&#34;Kominfo&#34;&lt;/b&gt;</span>' in account
    assert 'name="next" value="/auth/password?tab=&lt;x&gt;"' in account
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert account.count(f'name="csrf_token" value="{token}"') == 2
    assert "\x00" not in page

    make.user("b@juara.test", name="Budi")
    make.commit()
    web.post("/auth/logout", {})
    web.login("b@juara.test")
    other = web.get("/auth/password").get_data(as_text=True)
    assert '<span class="who">Budi</span>' in other and "Ani" not in other
    assert token not in other  # a new session, a new form token


def test_frame_parts_use_only_their_key_and_slots():
    """A part is kept per language and role set: it must not read anything else."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    allowed = {"locale", "roles", "signed_in", "languages", "url_for", *SLOTS}
    parts = sorted((ROOT / "templates" / "_frame").glob("*.html"))
    assert {p.stem for p in parts} >= {"head", "nav", "account", "foot"}
    for path in parts:
        names = jinja2.meta.find_undeclared_variables(env.parse(path.read_text()))
        assert names - {"_", "gettext"} <= allowed, path.name


def test_the_form_token_is_one_per_page_and_still_accepted(web, make, monkeypatch):
    """Signed once and handed out again for a minute: the second page is not signed anew."""
    make.user("a@juara.test")
    make.commit()
    web.login("a@juara.test")
    first = web.get("/auth/password").get_data(as_text=True)
    tokens = set(re.findall(r'(?:content|value)="([\w-]+\.[\w.-]+)"', first))
    assert len(tokens) == 1
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 30)  # a new signature would differ
    second = web.get("/auth/password").get_data(as_text=True)
    assert tokens == set(re.findall(r'(?:content|value)="([\w-]+\.[\w.-]+)"', second))
    response = web.post("/auth/language", {"lang": "en", "csrf_token": tokens.pop()})
    assert response.status_code == 302
    assert web.post("/auth/language", {"lang": "id", "csrf_token": "forged"}).status_code == 400


def test_the_templates_language_context_is_made_once_per_language(web, make, monkeypatch):
    comp = make.competition()
    make.juror(comp, [make.category(comp)], email="juri@juara.test")
    make.commit()
    web.login("juri@juara.test")
    asked = []
    translations = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: asked.append(1) or translations())
    first = web.get("/auth/password").get_data(as_text=True)
    web.get("/auth/password")
    web.post("/auth/language", {"lang": "en"})
    english = [web.get("/auth/password").get_data(as_text=True) for _ in range(2)]
    assert len(asked) <= 2  # at most once for each language, not once a page
    assert ">Keluar</button>" in first and all(">Sign out</button>" in p for p in english)
