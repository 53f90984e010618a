"""SAQ mail: verification published and objections resolved are mailed once the step commits;
reminders before the SAQ deadline and before masa sanggah closes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from judging.extensions import db
from judging.mail.outbox import list_outbox, read_message
from judging.mail.sweep import sweep
from judging.models import Answer, Message, Objection
from judging.models.types import utcnow
from judging.saq import objections
from tests.fixtures.worlds.saq_world import build, fill


def messages(kind: str) -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(select(Message).where(Message.kind == kind)
                                   .order_by(Message.id)))


def outbox_text(email: str, subject_word: str) -> str:
    """The delivered copy (a sent message drops its stored bodies)."""
    [found] = [read_message(m.name) for m in list_outbox()
               if email in m.to and subject_word in m.subject]
    return found.text


def submitted_and_verified(web, world, make):
    web.login(world.body.email)
    fill(web, world)
    web.post(f"/participant/entries/{world.entry.id}/saq/submit", {"group": "berkala"})
    world.entry.status = "submitted"
    make.commit()
    web.logout()
    web.login(world.verifier.email)
    answers = list(db.session.scalars(select(Answer)))
    for answer in answers:
        data = {"decision": "accepted"}
        if answer.question.key == "A2":
            data = {"decision": "rejected", "reason": "Tautan mati"}
        web.post(f"/jury/verification/answers/{answer.id}", data)
    web.logout()
    return next(a for a in answers if a.question.key == "A2")


def test_published_verification_and_resolved_objection_mail_the_body(web, make):
    world = build(make)
    world.body.locale = "en"
    make.commit()
    answer = submitted_and_verified(web, world, make)
    assert messages("verification.published") == []
    web.login(world.organizer.email)
    web.post(f"/organizer/categories/{world.category.id}/saq/objections/open", {"days": "5"})
    web.logout()
    [published] = messages("verification.published")
    assert published.to_email == world.body.email and published.language == "en"
    assert published.status == "sent"  # handed to the mail job once the step committed
    assert f"/participant/entries/{world.entry.id}/saq" in outbox_text(world.body.email,
                                                                        "erification")
    web.login(world.body.email)
    base = f"/participant/entries/{world.entry.id}/saq/questions"
    web.post(f"{base}/{answer.question_id}/objection",
             {"reason": "Tautan baru", "url": "https://ppid.example.go.id/baru"},
             content_type="multipart/form-data")
    web.logout()
    web.login(world.verifier.email)
    objection = db.session.scalar(select(Objection))
    refused = web.post(f"/jury/verification/objections/{objection.id}", {"outcome": "rejected"})
    assert refused.status_code == 303 and messages("objection.resolved") == []
    web.post(f"/jury/verification/objections/{objection.id}",
             {"outcome": "rejected", "resolution": "Tautan tetap mati"})
    [resolved] = messages("objection.resolved")
    assert resolved.to_email == world.body.email and resolved.status == "sent"
    assert "Decision: Refused" in outbox_text(world.body.email, "bjection")


def test_reminders_before_the_saq_deadline_and_the_end_of_masa_sanggah(web, make):
    world = build(make)
    world.questionnaire.deadline = utcnow() + timedelta(days=2)
    make.commit()
    sweep()
    reminded = {m.to_email for m in messages("reminder.deadline")}
    assert reminded == {world.body.email, world.other_body.email}
    submitted_and_verified(web, world, make)
    objections.open_window(world.questionnaire, 2)
    make.commit()
    sweep()
    sanggah = [m for m in messages("reminder.deadline") if "sanggah" in m.subject.lower()]
    assert [m.to_email for m in sanggah] == [world.body.email]
