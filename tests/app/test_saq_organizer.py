"""Organizer SAQ work: template import/export, locking, versions, copying to a new year,
verifiers apart from jurors, per-aspect rankings and their awards."""

from __future__ import annotations

import io

from sqlalchemy import select

from judging.competitions.editing import copy_competition
from judging.extensions import db
from judging.io.saq.workbook import read_saq_workbook, write_saq_workbook
from judging.models import Competition, Questionnaire, SpecialAward
from judging.permissions import can_judge_entry, can_verify_entry
from judging.saq import filling, verification
from judging.saq.aspects import aspect_ranking
from judging.saq.questionnaires import current_questionnaire
from tests.fixtures.worlds.saq_world import ROWS, build


def _upload(web, category, data, title="SAQ baru"):
    return web.post(f"/organizer/categories/{category.id}/saq/import",
                    {"title": title, "file": (io.BytesIO(data), "saq.xlsx")},
                    content_type="multipart/form-data")


def test_import_export_lock_and_new_version(web, make):
    competition = make.competition(phase="open")
    category = make.category(competition)
    organizer = make.organizer(competition)
    make.commit()
    web.login(organizer.email)
    blank = web.get(f"/organizer/categories/{category.id}/saq/export")
    assert blank.status_code == 200 and read_saq_workbook(blank.data) == ([], [])
    assert _upload(web, category, write_saq_workbook("SAQ", ROWS)).status_code == 303
    questionnaire = current_questionnaire(category.id)
    assert questionnaire.version == 1 and not questionnaire.locked
    exported = web.get(f"/organizer/categories/{category.id}/saq/export").data
    assert read_saq_workbook(exported)[0] == ROWS
    _upload(web, category, write_saq_workbook("SAQ", ROWS[:2]))  # unlocked: replaced
    assert current_questionnaire(category.id).version == 1
    web.post(f"/organizer/categories/{category.id}/saq/lock")
    db.session.expire_all()
    assert current_questionnaire(category.id).locked
    _upload(web, category, write_saq_workbook("SAQ", ROWS))  # locked: a new version
    db.session.expire_all()
    assert current_questionnaire(category.id).version == 2
    assert len(db.session.scalars(select(Questionnaire)).all()) == 2


def test_import_with_bad_rows_saves_nothing(web, make):
    competition = make.competition(phase="open")
    category = make.category(competition)
    organizer = make.organizer(competition)
    make.commit()
    web.login(organizer.email)
    rows = [r.__class__(**{**r.__dict__, "weight": 1.0}) for r in ROWS]
    broken = write_saq_workbook("SAQ", rows[:1] + rows[:1])  # duplicate code
    response = _upload(web, category, broken)
    assert "dua kali" in web.get(response.location).get_data(as_text=True)
    assert current_questionnaire(category.id) is None


def test_copy_to_new_year_takes_the_questions_unlocked(make):
    world = build(make)
    copy = copy_competition(world.competition, name="Monev 2027", year=2027, code="KIP-27")
    db.session.flush()
    [category] = copy.categories
    copied = current_questionnaire(category.id)
    assert copied is not None and not copied.locked
    assert [q.key for g in copied.groups for q in g.questions] == [r.key for r in ROWS]
    assert db.session.scalar(select(Competition).where(Competition.year == 2027)) is copy


def test_verifier_is_not_a_juror_of_the_category(make):
    world = build(make)
    assert can_verify_entry(world.verifier, world.entry)
    assert not can_judge_entry(world.verifier, world.entry)


def test_organizer_assigns_only_competition_jurors_as_verifiers(web, make):
    world = build(make)
    juror = make.juror(world.competition)
    outsider = make.user()
    make.commit()
    web.login(world.organizer.email)
    web.post(f"/organizer/categories/{world.category.id}/saq/verifiers", {"user_id": juror.id})
    web.post(f"/organizer/categories/{world.category.id}/saq/verifiers",
             {"user_id": outsider.id})
    assert can_verify_entry(juror, world.entry)
    assert not can_verify_entry(outsider, world.entry)


def _submit_verified(world, entry, values, decisions):
    for key, value in values.items():
        filling.save_value(entry, world.question(key), value)
    for key in ("A1", "A2"):
        filling.save_link(entry, world.question(key), "https://ppid.contoh.go.id/x")
    filling.submit(entry, world.questionnaire)
    answers = filling.answers_by_question(
        filling.response_for(entry, world.questionnaire, create=False))
    for key, decision in decisions.items():
        verification.decide(answers[world.question(key).id], decision, score=None,
                            reason="alasan", verifier_id=world.verifier.id)


def test_aspect_ranking_shares_ties_and_awards_get_special_awards(web, make):
    world = build(make)
    third = make.entry(world.category)
    for e in (world.entry, world.other, third):
        e.status = "submitted"
    all_ok = {"A1": "accepted", "A2": "accepted", "B1": "accepted", "B2": "accepted"}
    _submit_verified(world, world.entry, {"A1": "ya", "A2": "2", "B1": "4", "B2": "50"}, all_ok)
    _submit_verified(world, world.other, {"A1": "ya", "A2": "2", "B1": "1", "B2": "90"}, all_ok)
    _submit_verified(world, third, {"A1": "ya", "A2": "1", "B1": "4", "B2": "90"},
                     {**all_ok, "A1": "rejected"})
    make.commit()
    berkala = [(r.rank, e.id, r.score) for r, e in aspect_ranking(world.category, "berkala")]
    # entry and other: (2×100 + 3×100)/5 = 100, tied; third: (0 + 3×50)/5 = 30
    assert [(rank, str(score)) for rank, _, score in berkala] == [(1, "100.00"), (1, "100.00"),
                                                                  (3, "30.00")]
    ppid = [(r.rank, e.id, str(r.score)) for r, e in aspect_ranking(world.category, "ppid")]
    # other: (25 + 4×90)/5 = 77; third: (100 + 360)/5 = 92; entry: (100 + 200)/5 = 60
    assert ppid == [(1, third.id, "92.00"), (2, world.other.id, "77.00"),
                    (3, world.entry.id, "60.00")]
    web.login(world.organizer.email)
    page = web.get(f"/organizer/categories/{world.category.id}/saq/aspects?group=ppid")
    assert "92,00" in page.get_data(as_text=True) or "92" in page.get_data(as_text=True)
    web.post(f"/organizer/categories/{world.category.id}/saq/aspects/award",
             {"group": "ppid", "places": "2"})
    awards = {(a.entry_id, a.label) for a in db.session.scalars(select(SpecialAward))}
    assert awards == {(third.id, "Peringkat I Komitmen PPID"),
                      (world.other.id, "Peringkat II Komitmen PPID")}


def test_settings_deadline_and_evidence_limit_audited(web, make):
    from judging.models import AuditEvent

    world = build(make)
    web.login(world.organizer.email)
    url = f"/organizer/categories/{world.category.id}/saq/settings"
    web.post(url, {"deadline": "2030-01-31T17:00", "evidence_mb": "5"})
    db.session.expire_all()
    assert world.questionnaire.evidence_max_bytes == 5 * 1024 * 1024
    assert world.questionnaire.deadline.isoformat() == "2030-01-31T10:00:00+00:00"  # WIB
    refused = web.post(url, {"deadline": "", "evidence_mb": "500"})
    assert "MB" in web.get(refused.location).get_data(as_text=True)
    db.session.expire_all()
    assert world.questionnaire.evidence_max_bytes == 5 * 1024 * 1024
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "saq.settings_changed"))
    web.logout()
    web.login(world.body.email)
    assert web.post(url, {"deadline": "", "evidence_mb": "1"}).status_code == 403
