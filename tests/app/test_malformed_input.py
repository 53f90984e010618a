"""Malformed input never causes a server error: every route, every path part, every field.

The walk reads ``app.url_map`` and the form classes, so a new route or form is covered
without touching this file. Each request goes out as a user the route admits.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField

from tests.conftest import Browser

PATH_VALUES = [
    "9223372036854775808", "9" * 400, "%C2%B2", "%D9%A3", "-1", "%00", "a" * 300,
]
FIELD_VALUES = [
    "9223372036854775808", "9" * 4000, "²", "sNaN", "9" * 400, "١٢", "Infinity", "\x00", "",
]
QUERY_VALUES = FIELD_VALUES[:4]  # query strings: the same classes, fewer slow exports
SKIP = {"static", "auth.logout"}  # logging the walker out would end the walk
ROLE_OF = {"public": "anonymous", "authenticated": "organizer", "admin": "organizer",
           "organizer": "organizer", "juror": "juror", "participant": "participant"}
_INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')


@pytest.fixture
def world(app, make):
    org = make.organisation()
    competition = make.competition(org, phase="judging")
    category = make.category(competition)
    entry = make.entry(category)
    organizer = make.user(email="admin@juara.test", is_admin=True)
    juror = make.juror(competition, [category], email="juri@juara.test")
    idle = make.juror(competition, email="idle@juara.test")  # nothing assigned
    participant = make.participant(entry.entrant, email="peserta@juara.test")
    make.commit()
    ids = dict(competition_id=competition.id, category_id=category.id, entry_id=entry.id,
               organisation_id=org.id, entrant_id=entry.entrant.id, juror_id=juror.id,
               user_id=juror.id)
    browsers = {"anonymous": Browser(app.test_client())}
    for role, account in (("organizer", organizer), ("juror", juror),
                          ("participant", participant), ("idle", idle)):
        browsers[role] = Browser(app.test_client())
        assert browsers[role].login(account.email).status_code == 302
    return SimpleNamespace(ids=ids, browsers=browsers, competition=competition)


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in SKIP:
            yield rule, app.view_functions[rule.endpoint].access


def _url(rule, ids, hostile=None, value=None) -> str:
    url = rule.rule
    for name in rule.arguments:
        shown = value if name == hostile else str(ids.get(name, 1))
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", shown, url)
    return url


def _call(browser, method, url, data=None):
    try:
        if method == "GET":
            return browser.get(url, query_string=data).status_code
        return browser.post(url, data or {}).status_code
    except Exception as exc:  # noqa: BLE001 - the test reports every crash, not the first
        return f"{type(exc).__name__}: {str(exc)[:120]}"


def _methods(rule):
    return [m for m in ("GET", "POST") if m in rule.methods]


def test_hostile_path_parts_give_404_or_400_never_500(app, world):
    failures = []
    for rule, audiences in _rules(app):
        browser = world.browsers[ROLE_OF[audiences[0]]]
        for name in rule.arguments:
            for value in PATH_VALUES:
                for method in _methods(rule):
                    status = _call(browser, method, _url(rule, world.ids, name, value))
                    if not isinstance(status, int) or status >= 500:
                        failures.append((method, rule.rule, name, value[:20], status))
    assert not failures, "\n".join(map(str, failures))


def form_field_names() -> set[str]:
    """Every field name of every form class the app defines (sub-forms as ``x-0-y``)."""
    import judging.organizer.blueprint  # noqa: F401 - imports every area's forms
    import judging.participant.blueprint  # noqa: F401

    names, pending, seen = set(), list(FlaskForm.__subclasses__()), set()
    while pending:
        form = pending.pop()
        if form in seen:
            continue
        seen.add(form)
        pending.extend(form.__subclasses__())
        for name, unbound in vars(form).items():
            if hasattr(unbound, "field_class"):
                names.add(name)
                names.update(f"{name}-0-{sub}" for sub in _sub_fields(unbound))
    return names


def _sub_fields(unbound) -> list[str]:
    """Field names inside a ``FieldList(FormField(SubForm))`` or ``FormField(SubForm)``."""
    if unbound.field_class is FieldList:
        unbound = unbound.args[0] if unbound.args else unbound.kwargs["unbound_field"]
    if unbound.field_class is not FormField:
        return []
    form = unbound.args[0] if unbound.args else unbound.kwargs["form_class"]
    return [n for n, f in vars(form).items() if hasattr(f, "field_class")]


def test_form_walk_knows_the_forms():
    names = form_field_names()
    assert {"year", "grace_minutes", "places", "entry_id", "juror_id", "email"} <= names


def test_hostile_form_values_give_a_page_never_500(app, world):
    known = form_field_names()
    failures = []
    for rule, audiences in _rules(app):
        browser = world.browsers[ROLE_OF[audiences[0]]]
        url = _url(rule, world.ids)
        names = set(known)
        if "GET" in rule.methods:
            page = browser.get(url)
            if page.mimetype == "text/html":
                names |= set(_INPUT_NAME.findall(page.get_data(as_text=True)))
        names.discard("csrf_token")
        for value in FIELD_VALUES:
            data = dict.fromkeys(names, value)
            for method in _methods(rule):
                if method == "GET" and value not in QUERY_VALUES:
                    continue
                status = _call(browser, method, url, data)
                if not isinstance(status, int) or status >= 500:
                    failures.append((method, rule.rule, value[:20], status))
    assert not failures, "\n".join(map(str, failures))


def test_offline_workbook_for_a_juror_with_nothing_assigned_explains_itself(app, world):
    url = f"/jury/competition/{world.competition.id}/workbook.xlsx"
    response = world.browsers["idle"].get(url)
    assert response.status_code == 404
    assert "Belum ada entri yang ditugaskan" in response.get_data(as_text=True)
    organizer_url = (f"/organizer/competition/{world.competition.id}/juror/"
                     f"{world.ids['juror_id'] + 1}/workbook.xlsx")
    assert world.browsers["organizer"].get(organizer_url).status_code == 404
