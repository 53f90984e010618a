"""Hand recorded messages to the mail backend over one connection; record each outcome.

Each message is claimed first (one ``UPDATE`` that only one sender can win, committed), so
two jobs or workers never send it twice; claims and outcomes are committed a chunk at a
time. A failure counts an attempt and keeps the reason; the message waits for a later sweep
(``MAIL_RETRY_SECONDS`` × attempts) until ``MAIL_MAX_ATTEMPTS``, then it is marked failed.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from judging.extensions import db
from judging.mail import connection as mail_connection
from judging.models import Message
from judging.models.types import utcnow

Report = Callable[[int], None]
CLAIM_EVERY = 25  # claimed and committed in small groups: a crash leaves at most this many


def email_of(message: Message):
    """The MIME message: plain text with an HTML alternative, no tracking of any kind."""
    from flask_mailman import EmailMultiAlternatives

    headers = {"Auto-Submitted": "auto-generated", "X-Juara-Kind": message.kind,
               "Content-Language": message.language}
    to = f"{message.to_name} <{message.to_email}>" if message.to_name else message.to_email
    email = EmailMultiAlternatives(message.subject, message.body_text,
                                   current_app.config["MAIL_DEFAULT_SENDER"], [to],
                                   headers=headers)
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def due(now: datetime):
    """Waiting and due, or taken by a sender so long ago that it must have died."""
    abandoned = now - timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    return or_(
        and_(Message.status == "waiting",
             or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now)),
        and_(Message.status == "sending", Message.claimed_at < abandoned))


def due_messages(ids: list[int] | None = None) -> list[Message]:
    """Messages some sender should send now, oldest first (optionally only ``ids``)."""
    query = select(Message).where(due(utcnow()))
    if ids is not None:
        query = query.where(Message.id.in_(ids))
    return list(db.session.scalars(query.order_by(Message.id)))


def claim(ids: list[int]) -> list[Message]:
    """Take those of ``ids`` still due for this sender alone, and commit; only it sends them.

    One conditional ``UPDATE``: SQLite lets one writer at a time, PostgreSQL re-checks the
    condition on a row another transaction changed, so a message is never taken twice.
    Commits what the session holds too: mail goes out only for committed work.
    """
    token, now = secrets.token_hex(16), utcnow()
    db.session.execute(
        update(Message).where(Message.id.in_(ids), due(now))
        .values(status="sending", claimed_at=now, claimed_by=token)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(
        select(Message).where(Message.claimed_by == token).order_by(Message.id)))


def deliver(ids: list[int], report: Report | None = None) -> int:
    """Send each message of ``ids`` no other sender has taken; returns how many went.

    ``report(done)`` follows each committed chunk.
    """
    sent = 0
    connection = mail_connection(timeout=current_app.config["MAIL_TIMEOUT"])
    try:
        connection.open()
        down = None
    except Exception as error:  # the server is down: every message counts one attempt
        down = error
    try:
        for start in range(0, len(ids), CLAIM_EVERY):
            for message in claim(ids[start:start + CLAIM_EVERY]):
                if down is None:
                    sent += send_one(connection, message)
                else:
                    failed(message, down)
            db.session.commit()
            report and report(min(start + CLAIM_EVERY, len(ids)))
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide the outcome
            pass
    return sent


def send_one(connection, message: Message) -> int:
    """Send one message; 1 when it went, 0 when it failed (recorded on the message)."""
    try:
        connection.send_messages([email_of(message)])
    except Exception as error:
        failed(message, error)
        if isinstance(error, (smtplib.SMTPServerDisconnected, OSError)):
            reopen(connection)
        return 0
    message.attempts += 1
    message.status = "sent"
    message.claimed_at = message.claimed_by = None
    message.sent_at = utcnow()
    message.last_error = ""
    message.next_attempt_at = None
    message.body_text = message.body_html = ""  # links inside are secrets once delivered
    return 1


def reopen(connection) -> None:
    """Continue on a fresh SMTP session after the server dropped the last one."""
    try:
        connection.close()
    except Exception:
        pass
    try:
        connection.open()
    except Exception:  # still down: the next sends fail and are recorded one by one
        pass


def failed(message: Message, error: Exception) -> None:
    """Count an attempt, keep the reason, and wait or give up."""
    message.attempts += 1
    message.last_error = reason(error)[:2000]
    message.claimed_at = message.claimed_by = None
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = "failed"
        message.next_attempt_at = None
    else:
        message.status = "waiting"
        delay = current_app.config["MAIL_RETRY_SECONDS"] * message.attempts
        message.next_attempt_at = utcnow() + timedelta(seconds=delay)


def reason(error: Exception) -> str:
    """What the organizer reads: the server's own reply when there is one."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"SMTP {error.smtp_code} {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "SMTP " + "; ".join(f"{address}: {code} {text.decode(errors='replace')}"
                                   for address, (code, text) in error.recipients.items())
    return f"{type(error).__name__}: {error}"


def retry_failed(messages: list[Message]) -> int:
    """The organizer's "try again": failed messages wait again with a fresh count."""
    count = 0
    for message in messages:
        if message.status == "failed":
            message.status, message.attempts, message.next_attempt_at = "waiting", 0, None
            count += 1
    return count
