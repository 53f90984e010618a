"""Moderation: marks side by side, disagreements, revisit requests, notes, audit replay."""

from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.marking.marks import replay_marks
from judging.models import AuditEvent, Mark, ModerationNote, Scoresheet
from tests.app.jury_world import build_world, form_data, stored_marks


def _second_juror(make, world):
    juror = make.juror(world.competition, [world.category], email="juri2@juara.test",
                       name="Juri Dua")
    make.commit()
    return juror


def _score(web, world, entry, marks, email="juri@juara.test", juror=None, submit=True):
    web.login(email)
    data = form_data(world if juror is None else _as(world, juror), entry, marks, submit=submit)
    response = web.post(f"/jury/entry/{entry.id}/score", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _as(world, juror):
    from dataclasses import replace

    return replace(world, juror=juror)


def test_matrix_shows_each_jurors_score_spread_and_flags_disagreement(web, make):
    world = build_world(make)
    second = _second_juror(make, world)
    calm, split = world.entries
    _score(web, world, calm, [80, 80, 80, 80])
    _score(web, world, split, [90, 90, 90, 90])
    _score(web, world, calm, [70, 70, 70, 70], "juri2@juara.test", second)
    _score(web, world, split, [40, 40, 40, 40], "juri2@juara.test", second)
    web.login("panitia@juara.test")
    page = web.get(f"/organizer/category/{world.category.id}/moderation").get_data(as_text=True)
    assert "Juri Satu" in page and "Juri Dua" in page
    calm_row = page.split(f'data-entry="{calm.code}"')[1].split("</tr>")[0]
    split_row = page.split(f'data-entry="{split.code}"')[1].split("</tr>")[0]
    assert "80,00" in calm_row and "70,00" in calm_row and "10,00" in calm_row
    assert "Selisih besar" not in calm_row
    assert "50,00" in split_row and "Selisih besar" in split_row
    assert "1 entri ditandai" in page


def test_moderation_is_only_for_the_competitions_organizers(web, make):
    world = build_world(make)
    other = make.organizer(make.competition(), email="lain@juara.test")
    make.commit()
    web.login("lain@juara.test")
    assert web.get(f"/organizer/category/{world.category.id}/moderation").status_code == 403
    response = web.post(f"/organizer/category/{world.category.id}/moderation/revisit",
                        {"juror_id": world.juror.id, "entry_id": world.entries[0].id,
                         "note": "x"})
    assert response.status_code == 403
    web.login("juri@juara.test")
    assert web.get(f"/organizer/category/{world.category.id}/moderation").status_code == 403
    assert other.id


def test_revisit_request_reopens_only_that_entry_during_moderation(web, make):
    world = build_world(make)
    first, second = world.entries
    _score(web, world, first, [80, 80, 80, 80])
    _score(web, world, second, [60, 60, 60, 60])
    world.competition.phase = "moderation"
    make.commit()
    web.login("panitia@juara.test")
    response = web.post(f"/organizer/category/{world.category.id}/moderation/revisit",
                        {"juror_id": world.juror.id, "entry_id": first.id,
                         "note": "Mohon cek inovasi"})
    assert response.status_code == 302
    sheet = db.session.scalar(select(Scoresheet).where(Scoresheet.entry_id == first.id))
    assert sheet.status == "draft" and sheet.revisit_requested_at is not None

    web.login("juri@juara.test")
    listing = web.get(f"/jury/competition/{world.competition.id}").get_data(as_text=True)
    assert "Diminta ditinjau ulang" in listing and "Mohon cek inovasi" in listing
    before = stored_marks()
    response = web.post(f"/jury/entry/{second.id}/score",
                        form_data(world, second, [10, 10, 10, 10], submit=True))
    assert response.status_code == 403
    assert stored_marks() == before
    _score(web, world, first, [80, 95, 80, 80])
    db.session.expire_all()
    assert sheet.status == "submitted" and sheet.revisit_requested_at is None
    assert stored_marks()[(world.juror.id, first.id, world.criteria[1].id)] == Decimal("95")
    # the revisit is done: the entry is closed again
    response = web.post(f"/jury/entry/{first.id}/score",
                        form_data(world, first, [1, 1, 1, 1], submit=True))
    assert response.status_code == 403


def test_moderation_notes_are_stored_and_shown(web, make):
    world = build_world(make)
    web.login("panitia@juara.test")
    url = f"/organizer/category/{world.category.id}/moderation/note"
    assert web.post(url, {"entry_id": "", "text": ""}).status_code == 400
    assert web.post(url, {"entry_id": "", "text": "Rapat pleno 3 Juni"}).status_code == 302
    assert web.post(url, {"entry_id": str(world.entries[0].id),
                          "text": "Selisih dibahas"}).status_code == 302
    notes = db.session.scalars(select(ModerationNote).order_by(ModerationNote.id)).all()
    assert [(n.entry_id, n.text) for n in notes] == [
        (None, "Rapat pleno 3 Juni"), (world.entries[0].id, "Selisih dibahas")]
    page = web.get(f"/organizer/category/{world.category.id}/moderation").get_data(as_text=True)
    assert "Rapat pleno 3 Juni" in page and "Selisih dibahas" in page


def test_changes_after_submission_are_audited_with_before_and_after(web, make):
    world = build_world(make)
    entry = world.entries[0]
    _score(web, world, entry, [50, 50, 50, None], submit=False)
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action.in_(("mark.changed", "mark.submitted")))) is None
    _score(web, world, entry, [50, 50, 50, 50])
    submitted = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "mark.submitted")).all()
    assert len(submitted) == 4
    _score(web, world, entry, [50, 65, 50, 50])
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mark.changed"))
    mark = db.session.scalar(select(Mark).where(Mark.criterion_id == world.criteria[1].id))
    assert change.object_id == mark.id and change.actor_id == world.juror.id
    assert change.before == {"value": "50.00", "comment": ""}
    assert change.after["value"] == "65.00"


def test_replaying_the_audit_log_reproduces_the_current_marks(web, make, app):
    world = build_world(make, entries=3)
    second = _second_juror(make, world)
    a, b, c = world.entries
    _score(web, world, a, [10, 20, 30, 40])
    _score(web, world, a, [11, 20, 33, 40])  # edits after submission
    _score(web, world, b, [50, 50, None, None], submit=False)
    _score(web, world, b, [55, 50, 70, 80])
    _score(web, world, c, [1, 2, 3, None], submit=False)  # a draft never submitted
    _score(web, world, a, [90, 90, 90, 90], "juri2@juara.test", second)
    _score(web, world, b, [12.5, 90, 90, 90], "juri2@juara.test", second)
    world.competition.phase = "moderation"
    make.commit()
    web.login("panitia@juara.test")
    web.post(f"/organizer/category/{world.category.id}/moderation/revisit",
             {"juror_id": second.id, "entry_id": b.id, "note": "cek"})
    _score(web, world, b, [62.25, 90, None, 90], "juri2@juara.test", second, submit=False)
    _score(web, world, b, [62.25, 90, 88, 90], "juri2@juara.test", second)

    sheets = db.session.scalars(select(Scoresheet).where(
        Scoresheet.submitted_at.is_not(None))).all()
    submitted = {(s.juror_id, s.entry_id) for s in sheets}
    current = {k: v for k, v in stored_marks().items()
               if (k[0], k[1]) in submitted and v is not None}
    with app.test_request_context():
        replayed = replay_marks(world.competition.id)
    assert replayed == current
    assert len(current) == 16
    assert replayed[(second.id, b.id, world.criteria[0].id)] == Decimal("62.25")
