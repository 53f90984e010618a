"""Hand recorded messages to the mail backend over one connection; record each outcome.

A failure counts an attempt and keeps the reason; the message waits for a later sweep
(``MAIL_RETRY_SECONDS`` × attempts) until ``MAIL_MAX_ATTEMPTS``, then it is marked failed.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from judging.extensions import db
from judging.mail import connection as mail_connection
from judging.models import Message
from judging.models.types import utcnow

Report = Callable[[int], None]


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


def due_messages(ids: list[int] | None = None) -> list[Message]:
    """Waiting messages whose next attempt is due, oldest first (optionally only ``ids``)."""
    query = select(Message).where(
        Message.status == "waiting",
        or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= utcnow()))
    if ids is not None:
        query = query.where(Message.id.in_(ids))
    return list(db.session.scalars(query.order_by(Message.id)))


def deliver(messages: list[Message], report: Report | None = None) -> int:
    """Send each message once; returns how many went. ``report`` commits after each one."""
    sent = 0
    connection = mail_connection(timeout=current_app.config["MAIL_TIMEOUT"])
    try:
        connection.open()
    except Exception as error:  # the server is down: every message counts one attempt
        for done, message in enumerate(messages, 1):
            failed(message, error)
            report and report(done)
        return 0
    try:
        for done, message in enumerate(messages, 1):
            sent += send_one(connection, message)
            report and report(done)
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
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = "failed"
        message.next_attempt_at = None
    else:
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
