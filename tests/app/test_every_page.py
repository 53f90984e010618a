"""Every GET page, in Bahasa Indonesia and in English, signed in as the role it is for.

One world holds the demo (judging with marks, monev values and evidence; the KIP SAQ in
masa sanggah), a competition at final with a frozen ranking and one published with
certificates. A page fails on a 500, on a stored key reaching the reader (`category.updated`,
`gate_saq`, `monev 60`, `{"…": …}`), on a dot-decimal number in Indonesian, and on an
Indonesian method text in English.
"""

from __future__ import annotations

import io
import re
import traceback
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from judging.certificates import issue
from judging.competitions.transitions import change_phase
from judging.demo import DEMO_PASSWORD, load_demo
from judging.extensions import db
from judging.jobs import enqueue
from judging.models import (
    Assignment,
    Category,
    Certificate,
    Competition,
    Entrant,
    Entry,
    Evidence,
    ImportBatch,
    Job,
    Organisation,
    RoleGrant,
    SpecialAward,
    User,
)
from judging.models.saq import Objection, Question, QuestionGroup, SaqResponse, Verification
from judging.plugin_setup import methods
from judging.scoring.types import english
from tests.fixtures.worlds.certificates_world import CONFIG
from tests.fixtures.worlds.certificates_world import build_world as build_certificates_world
from tests.fixtures.worlds.monev_world import HEADER, workbook
from tests.fixtures.worlds.results_world import build_results_world

LANGUAGES = ("id", "en")
SKIPPED = {"static", "auth.login"}  # assets; the sign-in page is the client's own start
# Found by this walk and not fixed yet (each is a finding, not a false alarm, unless said):
KNOWN = {
    # false alarm: SAQ question numbers (1.1, 2.3) are not decimals
    ("organizer.saq", "dot decimal"): "question numbers",
    # a certificate's facts are shown as printed (an Indonesian document), never re-worded
    ("public.verify", "Indonesian"): "printed band",
    ("organizer.certificates", "Indonesian"): "printed band",
}

HIDDEN = re.compile(r"<(script|style|code|pre|kbd|time|textarea)\b.*?</\1>", re.S | re.I)
TAGS = re.compile(r"<[^>]+>")
SHOWN_ATTRIBUTES = re.compile(r'(?:placeholder|title|aria-label|alt)="([^"]*)"')
URLS = re.compile(r"\S+@\S+|https?://\S+|/\S*")
DOTTED_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*\b")
NOT_KEYS = re.compile(r"\.(?:example|test|pdf|png|jpe?g|xlsx|zip|eml|html|id|com|org|go|g|e)\b")
SNAKE_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
WEIGHT_KEY = re.compile(r"(?<![A-Za-z] )\b(?:monev|jury|website|saq|presentation)\s*[:=]?\s*\d")
JSON_TEXT = re.compile(r"\{\s*['\"][\w.]+['\"]\s*:")
# 86.31 or 0.5 (a score the English way); not 11.950 (Indonesian thousands), 1.2.3, v1.2
DOT_DECIMAL = re.compile(r"(?<![\w.,:/-])\d+\.\d{1,2}(?![\w./-]|\.\d)")
CLOCK = re.compile(r"\b\d{1,2}\.\d{2}(?:\.\d{2})?(?=\s*(?:WIB|WITA|WIT|UTC|GMT|[A-Z]{3,4}\b))")
# An SAQ question's number as a sentence names it ("sanggahan 1.4", "jawaban SAQ 2.5"): an id.
QUESTION_NUMBER = re.compile(r"\b(?:SAQ|sanggahan|pertanyaan|question|objection) \d+(?:\.\d+)+")


def shown_text(html: str) -> str:
    """What a reader sees or hears: element text and labelling attributes, no code or times."""
    body = html.split("<body", 1)[-1]
    attributes = " ".join(SHOWN_ATTRIBUTES.findall(body))
    body = HIDDEN.sub(" ", body)
    return unescape(TAGS.sub(" ", body) + " " + attributes)


def problems(text: str, lang: str, indonesian_texts: set[str], typed=()) -> list[str]:
    """Everything on a page that should not reach a reader in ``lang``; ``typed`` are words
    people typed (names, questions), shown as typed in both languages."""
    words = URLS.sub(" ", text)
    for value in typed:
        words = words.replace(value, " ")
    found = [f"key {k}" for k in DOTTED_KEY.findall(words)
             if not NOT_KEYS.search(f".{k.split('.')[-1]}")]
    found += [f"key {k}" for k in SNAKE_KEY.findall(words)]
    found += [f"weight key {k}" for k in WEIGHT_KEY.findall(words)]
    found += [f"json {k}" for k in JSON_TEXT.findall(words)]
    if lang == "id":
        found += [f"dot decimal {n}" for n in DOT_DECIMAL.findall(
            QUESTION_NUMBER.sub(" ", CLOCK.sub(" ", words)))]
    else:
        found += [f"Indonesian {t!r}" for t in indonesian_texts
                  if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", words)]
    return sorted(set(found))


FILE_COLUMNS = {"organizer.monev_batch": HEADER}  # a workbook's own column names, as in the file


def known(endpoint: str, problem: str) -> bool:
    return any(endpoint == e and problem.startswith(p) for e, p in KNOWN)


def method_texts_in_indonesian() -> set[str]:
    """The built-in methods' Indonesian texts whose English differs (what English must not show)."""
    found = set()
    for method in methods().methods.values():
        for text in method.texts().values():
            if english(text) and str(text) not in english(text) and len(str(text)) > 3:
                found.add(str(text))
    return found


def build_world(make) -> SimpleNamespace:
    """The demo, a competition at final (frozen) and one published with certificates."""
    load_demo()
    db.session.scalars(select(Organisation)).one().code = "BDG"  # the certificate world's is IKP
    final = build_results_world(make, phase="moderation")
    change_phase(final.competition, "final")
    published = build_certificates_world(make, phase="published")
    make.commit()
    users = {role: db.session.scalars(select(User).where(
        User.email == f"{name}@ikpfest.example")).one() for role, name in (
        ("organizer", "penyelenggara"), ("admin", "admin"), ("juror", "juri1"),
        ("participant", "kel-001"), ("verifier", "verifikator"))}
    _share_the_worlds(users, final, published)
    enqueue(issue.GENERATE_KIND, competition_id=published.comp.id,
            user_id=users["organizer"].id,
            params={"competition_id": published.comp.id, "participation": True,
                    "participation_for_winners": False, "mime": "application/zip"})
    db.session.commit()
    return SimpleNamespace(users=users, params=_parameters(users), typed=_typed())


def _typed() -> list[str]:
    """Everything people typed into the world, longest first so parts go after the whole."""
    columns = (Competition.name, Category.name, Entrant.name, Entry.description, User.name,
               SpecialAward.label, QuestionGroup.label, Question.text, Question.help_text,
               Verification.reason, Objection.reason, Objection.resolution)
    found = {v for column in columns for v in db.session.scalars(select(column)) if v}
    found |= {o.get("label", "") for q in db.session.scalars(select(Question))
              for o in (q.options or ()) if isinstance(o, dict)}
    return sorted(found - {""}, key=len, reverse=True)


def _share_the_worlds(users, final, published) -> None:
    """One account per role reaches all three worlds."""
    for competition in (final.competition, published.comp):
        db.session.add(RoleGrant(user=users["organizer"], role="organizer",
                                 competition_id=competition.id))
    db.session.add(RoleGrant(user=users["juror"], role="juror",
                             competition_id=final.competition.id))
    db.session.add(Assignment(juror=users["juror"], category_id=final.category.id))
    for entrant in published.entrants[:1] + [final.entries[0].entrant]:
        db.session.add(RoleGrant(user=users["participant"], role="participant",
                                 entrant_id=entrant.id))
    db.session.flush()


def _ids(model, *where, limit: int = 6) -> list:
    query = select(model.id).where(*where).order_by(model.id).limit(limit)
    return list(db.session.scalars(query))


def _parameters(users) -> dict[str, list]:
    """Values for every URL argument, by (role, argument) or argument alone."""
    juror, participant = users["juror"], users["participant"]
    mine = {g.entrant_id for g in db.session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == participant.id))}
    assigned = select(Assignment.category_id).where(Assignment.juror_id == juror.id)
    job = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    certificate = db.session.scalars(select(Certificate).order_by(Certificate.id)).first()
    response = db.session.scalars(select(SaqResponse).order_by(SaqResponse.id)).first()
    params = {
        "competition_id": _ids(Competition),
        "category_id": _ids(Category, limit=10),
        "organisation_id": _ids(Organisation, limit=1),
        "entrant_id": [db.session.scalars(select(Entry.entrant_id)).first()],
        "evidence_id": _ids(Evidence, limit=1),
        "juror_id": [juror.id],
        "job_id": [job.id] if job else [],
        "certificate_id": [certificate.id] if certificate else [],
        "code": [certificate.code] if certificate else [],
        "response_id": [response.id] if response else [],
        "group_key": ["berkala", "kualitas_informasi"],
        ("juror", "entry_id"): _ids(Entry, Entry.category_id.in_(assigned), limit=8),
        # one entry of each of a few categories: a ranking line's own breakdown page
        ("organizer", "entry_id"): sorted(set(db.session.scalars(
            select(func.min(Entry.id)).group_by(Entry.category_id))))[:4],
        ("participant", "entry_id"): _ids(Entry, Entry.entrant_id.in_(mine)),
        ("participant", "certificate_id"): _ids(Certificate, Certificate.entry_id.in_(
            select(Entry.id).where(Entry.entrant_id.in_(mine)))),
    }
    return params


def import_monev(app, world) -> int:
    """A previewed monev workbook (one row with a problem) for the batch pages."""
    category = db.session.scalars(select(Category).where(
        Category.method_key == "complaint_handling")).first()
    rows = [["KEL-001", "Kelurahan Lebak Siliwangi", 120, 114, 102, 90, 1.8],
            ["KEL-002", "Kelurahan Cihapit", "1.234", "1.000", 900, 800, "3,25"],
            ["KEL-003", "Kelurahan Tamansari", 100, 90, 120, 10, 1]]
    client = client_for(app, world.users["organizer"], "id")
    response = client.post(f"/organizer/categories/{category.id}/monev/upload",
                           data={"workbook": (io.BytesIO(workbook(rows)), "monev.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302, 303)
    return db.session.scalars(select(ImportBatch.id).order_by(ImportBatch.id.desc())).first()


def role_of(view) -> str:
    """The role a page is for: public, admin, organizer, juror or participant."""
    access = view.access
    if "public" in access:
        return "public"
    if access == ("authenticated",):
        return "organizer"
    return "verifier" if access == ("juror",) and "verification" in view.__name__ else access[0]


def urls(app, params) -> list[tuple[str, str, str]]:
    """(role, endpoint, url) for every GET route, once per value of its argument."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or "GET" not in rule.methods:
            continue
        role = role_of(app.view_functions[rule.endpoint])
        choices = [{}]
        for argument in sorted(rule.arguments):
            values = params.get((role, argument), params.get(argument, ["x"]))
            choices = [{**c, argument: v} for c in choices for v in values]
        for values in choices:
            found.append((role, rule.endpoint, rule.build(values)[1]))
    return found


def client_for(app, user, lang: str):
    """A client signed in as ``user`` (None: a visitor) reading ``lang``."""
    client = app.test_client()
    if user is not None:
        response = client.post("/auth/login",
                               data={"email": user.email, "password": DEMO_PASSWORD})
        assert response.status_code in (302, 303), user.email
    else:
        client.get(f"/?lang={lang}")
        with client.session_transaction() as session:
            session["lang"] = lang
    return client


@pytest.fixture
def app_config(app_config):
    return {**app_config, **CONFIG, "WTF_CSRF_ENABLED": False}


def walk(app, world, lang: str, skip: set[str]) -> tuple[list[str], int]:
    """Every page in ``lang``; file downloads (PDF, xlsx, JSON) are added to ``skip``."""
    for user in world.users.values():
        user.locale = lang
    db.session.commit()
    clients = {role: client_for(app, world.users.get(role), lang)
               for role in ("public", *world.users)}
    db.session.commit()
    indonesian = method_texts_in_indonesian()
    failures, shown = [], 0
    for role, endpoint, url in urls(app, world.params):
        if url in skip:
            continue
        try:
            response = clients[role].get(url)
        except Exception as exc:  # TESTING lets a view's error through: a 500 in production
            where = [line for line in traceback.format_exc().splitlines() if "File" in line
                     and "site-packages" not in line]
            failures.append(f"{url} ({role}): {exc!r} at {where[-1].strip()}")
            continue
        response.close()
        if response.status_code >= 500:
            failures.append(f"{url} ({role}): {response.status_code}")
        elif response.status_code == 200 and response.mimetype != "text/html":
            skip.add(url)  # the same file in either language: fetched once
        elif response.status_code == 200:
            shown += 1
            html = response.get_data(as_text=True)
            if f'<html lang="{lang}"' not in html:
                failures.append(f"{url} ({role}): not in {lang}")
            typed = world.typed + FILE_COLUMNS.get(endpoint, [])
            found = [p for p in problems(shown_text(html), lang, indonesian, typed)
                     if not known(endpoint, p)]
            if found:
                failures.append(f"{url} ({role}): {found[:6]}")
    return failures, shown


def test_every_page_in_both_languages(app, make):
    world = build_world(make)
    world.params["batch_id"] = [import_monev(app, world)]
    assert world.params["certificate_id"] and world.params[("juror", "entry_id")]
    downloads: set[str] = set()
    for lang in LANGUAGES:
        failures, shown = walk(app, world, lang, downloads)
        assert not failures, f"{lang}:\n" + "\n".join(failures)
        assert shown > 60, lang
    assert len(downloads) >= 5


def test_the_audit_log_in_both_languages(app, make):
    world = build_results_world(make, phase="moderation")
    change_phase(world.competition, "final")
    make.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": "panitia@juara.test",
                                     "password": "correct horse battery"})
    for lang in LANGUAGES:
        client.post("/auth/language", data={"lang": lang})
        response = client.get(f"/organizer/competitions/{world.competition.id}/audit")
        assert response.status_code == 200
        text = shown_text(response.get_data(as_text=True))
        assert problems(text, lang, method_texts_in_indonesian()) == []


def test_the_checks_see_what_they_look_for():
    page = ("<body><p>category.updated gate_saq: 65.0 · monev 60.0, jury 40.0 {\"a\": 1}</p>"
            "<p>Nilai 86.31 <time>05.56</time> 12 Mei 2025 05.56 WIB 11.950 akun</p>"
            "<a href='/x/1.5'>juri1@ikpfest.example bukti.pdf</a><p>Penilaian juri</p></body>")
    text = shown_text(page)
    assert problems(text, "id", set()) == [
        "dot decimal 40.0", "dot decimal 60.0", "dot decimal 65.0", "dot decimal 86.31",
        'json {"a":', "key category.updated", "key gate_saq", "weight key jury 4",
        "weight key monev 6"]
    assert problems("Sistem memutus sanggahan 1.4 · jawaban SAQ 2.5 · nilai 2.5", "id", set()) == [
        "dot decimal 2.5"]
    assert problems("Penilaian juri 86.31", "en", {"Penilaian juri"}) == [
        "Indonesian 'Penilaian juri'"]
