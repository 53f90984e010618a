"""Deadline reminders: once per threshold, in the recipient's language, refusable by link."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from judging.extensions import db
from judging.mail.outbox import list_outbox, read_message
from judging.mail.reminders import threshold
from judging.mail.sweep import sweep
from judging.models import Message
from judging.models.types import utcnow


def test_threshold_picks_the_latest_passed_reminder():
    now = utcnow()
    assert threshold(now + timedelta(days=10), now, (7, 3, 1)) is None
    assert threshold(now + timedelta(days=5), now, (7, 3, 1)) == 7
    assert threshold(now + timedelta(hours=20), now, (7, 3, 1)) == 1
    assert threshold(now - timedelta(hours=1), now, (7, 3, 1)) is None


def open_competition(make, days=2):
    competition = make.competition(name="IKP 2026", phase="open",
                                   submission_deadline=utcnow() + timedelta(days=days))
    category = make.category(competition)
    entrant = make.entrant(competition.organisation)
    make.entry(category, entrant, status="draft")
    return competition, entrant


def test_participants_with_unsent_entries_are_reminded_once(make):
    competition, entrant = open_competition(make)
    make.participant(entrant, locale="en", email="p@juara.test")
    make.commit()
    sweep()
    sweep()
    [message] = db.session.scalars(select(Message)).all()
    assert message.kind == "reminder.deadline" and message.status == "sent"
    assert message.subject == "Deadline reminder: Entry submission"
    [stored] = list_outbox()
    text = read_message(stored.name).text
    assert "Your entry has not been submitted yet." in text
    assert "http://127.0.0.1:5000/participant/" in text


def test_no_reminder_for_submitted_entries(make):
    competition = make.competition(phase="open", submission_deadline=utcnow() + timedelta(days=2))
    entrant = make.entrant(competition.organisation)
    make.entry(make.category(competition), entrant, status="submitted")
    make.participant(entrant)
    make.commit()
    sweep()
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_jurors_with_unsubmitted_sheets_are_reminded(make):
    competition = make.competition(phase="judging", judging_ends=utcnow() + timedelta(days=1))
    category = make.category(competition)
    make.entry(category, make.entrant(competition.organisation), status="submitted")
    juror = make.juror(competition, [category], locale="id")
    make.commit()
    sweep()
    [message] = db.session.scalars(select(Message)).all()
    assert message.user_id == juror.id and message.subject == "Pengingat tenggat: Penilaian juri"


def test_a_recipient_turns_reminders_off_from_the_link(make, web):
    competition, entrant = open_competition(make)
    user = make.participant(entrant, email="p@juara.test")
    make.commit()
    sweep()
    text = read_message(list_outbox()[0].name).text
    link = re.search(r"http://127\.0\.0\.1:5000(/auth/reminders/\S+)", text).group(1)
    page = web.get(link).get_data(as_text=True)
    assert "Anda menerima pengingat tenggat." in page
    assert not user.reminders_off  # opening the link changes nothing
    web.post(link, {"choice": "off"})
    db.session.expire_all()
    assert user.reminders_off
    assert web.get("/auth/reminders/forged-token").status_code == 404

    competition.submission_deadline = utcnow() + timedelta(hours=12)  # the 1-day reminder
    db.session.commit()
    sweep()
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1


def test_the_worker_queue_runs_the_mail_sweep_every_ten_minutes(app, make):
    """Registered with the queue when it is built (not at start-up), run in an app context."""
    from judging.jobs import queue

    huey = queue(app)
    at_20 = {t.name: t for t in huey.read_periodic(utcnow().replace(minute=20, tzinfo=None))}
    at_25 = {t.name for t in huey.read_periodic(utcnow().replace(minute=25, tzinfo=None))}
    assert "juara.mail.sweep" in at_20 and "juara.mail.sweep" not in at_25
    competition, entrant = open_competition(make)
    make.participant(entrant, email="p@juara.test")
    make.commit()
    at_20["juara.mail.sweep"].execute()
    assert db.session.scalar(select(func.count(Message.id))) == 1
