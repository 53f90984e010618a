"""SAQ pages at Komisi Informasi scale: 800 bodies × 60 questions with evidence, against 10.

Seeds two throwaway SQLite databases in one run — 800 bodies and 10 bodies, each body with
a submitted 60-question SAQ (six groups), an evidence file row and a link per answer, half of
them verified — then times, through the test client, the verifier's queue, one body's
questionnaire page (one group) and the organizer's progress page. Prints each page at both
sizes and ``ratio=`` (800 ÷ 10); each page must render in < 1 s at 800.

    .venv/bin/python bench/saq.py [--bodies 800] [--small 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from judging import create_app  # noqa: E402
from judging.competitions.categories import create_category  # noqa: E402
from judging.extensions import db  # noqa: E402
from judging.io.saq.workbook import SaqRow  # noqa: E402
from judging.models import (  # noqa: E402
    Answer,
    Assignment,
    Competition,
    Entrant,
    Entry,
    Evidence,
    Organisation,
    RoleGrant,
    SaqResponse,
    User,
    Verification,
)
from judging.models.types import utcnow  # noqa: E402
from judging.saq.questionnaires import import_rows, lock, questions_of  # noqa: E402

PASSWORD = "bench-password-2026"
LIMIT_SECONDS = 1.0
KEY = "ab" * 32


def questionnaire_rows() -> list[SaqRow]:
    """Six groups × ten questions of mixed answer types."""
    kinds = ("yes_no", "percent", "number", "text", "yes_no")
    return [SaqRow(f"g{g}", f"Kelompok {g}", f"{g}.{q}", f"Pertanyaan {g}.{q}", 1 + q % 3,
                   kinds[q % 5], target=5 if kinds[q % 5] == "number" else None)
            for g in range(1, 7) for q in range(1, 11)]


def seed(bodies: int) -> dict:
    """One open KIP category with ``bodies`` submitted SAQs; returns ids and log-ins."""
    now = utcnow()
    body = Organisation(name="Komisi Informasi DKI", code="KI")
    comp = Competition(organisation=body, name="Monev KIP", year=2026, code="KIP-2026",
                       phase="open")
    db.session.add_all([body, comp])
    db.session.flush()
    category = create_category(comp, name="Badan Publik", code="BP",
                               method_key="information_disclosure", level="badan_publik")
    db.session.flush()
    questionnaire = import_rows(category, questionnaire_rows(), title="SAQ")
    lock(questionnaire)
    users = {name: User(email=f"{name}@bench.test", name=name) for name in
             ("organizer", "verifier", "body")}
    for account in users.values():
        account.set_password(PASSWORD)
    db.session.add_all(users.values())
    db.session.flush()
    db.session.add_all([
        RoleGrant(user_id=users["organizer"].id, role="organizer", competition_id=comp.id),
        RoleGrant(user_id=users["verifier"].id, role="juror", competition_id=comp.id),
        Assignment(juror_id=users["verifier"].id, category_id=category.id, verifier=True)])
    db.session.execute(insert(Entrant), [
        {"organisation_id": body.id, "code": f"BP{i:05d}", "name": f"Badan Publik {i}",
         "level": "badan_publik", "region": "", "created_at": now} for i in range(bodies)])
    entrant_ids = db.session.scalars(select(Entrant.id).order_by(Entrant.id)).all()
    db.session.execute(insert(Entry), [
        {"category_id": category.id, "entrant_id": e, "code": f"BP-{i:05d}", "status": "submitted",
         "created_at": now, "updated_at": now, "fields": {}, "social_links": [],
         "description": ""} for i, e in enumerate(entrant_ids)])
    entry_ids = db.session.scalars(select(Entry.id).order_by(Entry.id)).all()
    db.session.add(RoleGrant(user_id=users["body"].id, role="participant",
                             entrant_id=entrant_ids[0]))
    db.session.execute(insert(SaqResponse), [
        {"entry_id": e, "questionnaire_id": questionnaire.id, "status": "submitted",
         "submitted_at": now, "created_at": now, "updated_at": now} for e in entry_ids])
    _answers(questionnaire, entry_ids, now)
    db.session.commit()
    return {"category": category.id, "entry": entry_ids[0], "users": users}


def _answers(questionnaire, entry_ids, now) -> None:
    questions = questions_of(questionnaire)
    responses = dict(db.session.execute(select(SaqResponse.entry_id, SaqResponse.id)).all())
    for chunk in range(0, len(entry_ids), 100):
        ids = entry_ids[chunk:chunk + 100]
        db.session.execute(insert(Evidence), [
            {"entry_id": e, "kind": "file", "storage_key": KEY, "original_name": f"{q.key}.pdf",
             "mime": "application/pdf", "file_kind": "pdf", "size": 150_000,
             "requirement": f"saq:{q.id}", "label": "", "created_at": now}
            for e in ids for q in questions])
        evidence = {(e, r): i for i, e, r in db.session.execute(
            select(Evidence.id, Evidence.entry_id, Evidence.requirement)
            .where(Evidence.entry_id.in_(ids)))}
        db.session.execute(insert(Answer), [
            {"response_id": responses[e], "question_id": q.id, "value": _value(q),
             "evidence_id": evidence[(e, f"saq:{q.id}")], "updated_at": now,
             "url": f"https://ppid.bp{e}.example.go.id/{q.key}"}
            for e in ids for q in questions])
    answer_ids = db.session.scalars(select(Answer.id).order_by(Answer.id)).all()
    db.session.execute(insert(Verification), [
        {"answer_id": a, "decision": "accepted", "reason": "", "decided_at": now}
        for a in answer_ids[::2]])


def _value(question) -> str:
    return {"yes_no": "ya", "percent": "75", "number": "4", "text": "Ada"}[question.answer_type]


def time_pages(bodies: int, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds for each page, on a fresh database of ``bodies`` bodies."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JUDGING_INSTANCE_PATH"] = str(Path(folder) / "instance")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "bench", "AUTO_UPGRADE": True,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        with app.app_context():
            ids = seed(bodies)
            emails = {k: u.email for k, u in ids["users"].items()}
            db.session.remove()
        pages = {
            "verifier queue": ("verifier", "/jury/verification"),
            "body questionnaire page": ("body", f"/participant/entries/{ids['entry']}/saq/g3"),
            "organizer progress page": ("organizer",
                                        f"/organizer/categories/{ids['category']}/saq/progress"),
        }
        times = {}
        for name, (who, url) in pages.items():
            client = app.test_client()
            client.post("/auth/login", data={"email": emails[who], "password": PASSWORD})
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - start)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code}")
            times[name] = best
        with app.app_context():
            db.engine.dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=800)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    small = time_pages(args.small, args.repeat)
    large = time_pages(args.bodies, args.repeat)
    ok = True
    print(f"{args.bodies} vs {args.small} bodies × 60 questions, evidence per answer (SQLite)")
    for name in large:
        fine = large[name] < LIMIT_SECONDS
        ok &= fine
        print(f"{name:26s} {args.small:>4}: {small[name] * 1000:7.1f} ms   "
              f"{args.bodies}: {large[name] * 1000:7.1f} ms   "
              f"ratio={large[name] / small[name]:.2f} {'OK' if fine else 'SLOW'} (< 1 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
