"""Delivery through a real SMTP server on loopback: sent, retried, failed with the reason."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from judging.extensions import db
from judging.mail import notify
from judging.mail.sweep import sweep
from judging.models import Message
from judging.models.types import utcnow


@pytest.fixture
def app_config(app_config, smtp_server):
    _inbox, port = smtp_server
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_MAX_ATTEMPTS": 3,
            "BASE_URL": "https://juara.example.go.id"}


def invite(make, name="Siti", language="id"):
    user = make.user(name=name, locale=language)
    invited = SimpleNamespace(user=user, link="https://juara.example.go.id/auth/invitation/t",
                              expires_at=utcnow() + timedelta(days=7))
    return notify.invitation(invited, "juror", "IKP 2025")


def make_due(message):
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_smtp_is_the_backend_when_a_server_is_set(app):
    assert app.config["MAIL_BACKEND"] == "flask_mailman.backends.smtp.EmailBackend"


def test_messages_reach_the_smtp_server_as_text_and_html(make, smtp_server):
    inbox, _port = smtp_server
    message = invite(make)
    notify.send_later([message])
    assert message.status == "sent" and message.attempts == 1 and message.sent_at
    [received] = inbox.messages
    assert received["Subject"] == "Undangan menjadi juri IKP 2025"
    assert received["Auto-Submitted"] == "auto-generated"
    plain = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "https://juara.example.go.id/auth/invitation/t" in plain
    assert 'href="https://juara.example.go.id/auth/invitation/t"' in html


def test_a_refused_message_is_retried_then_sent(make, smtp_server):
    inbox, _port = smtp_server
    inbox.refuse_next(1)
    message = invite(make)
    notify.send_later([message])
    assert message.status == "waiting" and message.attempts == 1
    assert "451" in message.last_error and message.next_attempt_at > utcnow()
    assert sweep() is None  # not due yet
    make_due(message)
    job = sweep()
    assert job.state == "done" and message.status == "sent" and message.attempts == 2
    assert message.last_error == "" and len(inbox.messages) == 1


def test_a_message_fails_for_good_after_the_last_attempt(make, smtp_server, web):
    inbox, _port = smtp_server
    inbox.refuse_next(10)
    competition = make.competition(name="IKP 2025")
    organizer = make.organizer(competition)
    user = make.user(name="Budi")
    message = notify.results_published(user, competition)
    notify.send_later([message])
    for _ in range(2):
        make_due(message)
        sweep()
    assert message.status == "failed" and message.attempts == 3
    assert "451" in message.last_error and inbox.messages == []

    web.login(organizer.email)
    page = web.get(f"/organizer/competitions/{competition.id}/mail").get_data(as_text=True)
    assert 'id="count-failed">1<' in page and "451 4.3.0 Try again later" in page

    inbox.refusals = 0
    response = web.post(f"/organizer/competitions/{competition.id}/mail/retry")
    assert response.status_code == 303
    db.session.expire_all()
    assert message.status == "sent" and len(inbox.to(user.email)) == 1
    page = web.get(f"/organizer/competitions/{competition.id}/mail").get_data(as_text=True)
    assert 'id="count-sent">1<' in page and 'id="count-failed">0<' in page


def test_a_server_that_is_down_counts_an_attempt_for_each_message(app, make):
    app.config["MAIL_PORT"] = 1  # nothing listens there (read on the first delivery)
    messages = [invite(make, "A"), invite(make, "B")]
    notify.send_later(messages)
    assert [m.status for m in messages] == ["waiting", "waiting"]
    assert all(m.attempts == 1 and "Error" in m.last_error for m in messages)


def test_each_outcome_is_recorded_per_message(make, smtp_server):
    inbox, _port = smtp_server
    inbox.refuse_next(1)
    messages = [invite(make, "A"), invite(make, "B"), invite(make, "C")]
    notify.send_later(messages)
    statuses = db.session.scalars(select(Message.status).order_by(Message.id)).all()
    assert statuses == ["waiting", "sent", "sent"] and len(inbox.messages) == 2
