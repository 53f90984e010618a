"""Compose one message in the recipient's language and record it, waiting to be sent."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import exists, select

from judging.extensions import db
from judging.mail.kinds import KINDS
from judging.models import Message, User


def language_of(user: User | None) -> str:
    """The recipient's saved language, else the install's default (Indonesian)."""
    languages = current_app.config["LANGUAGES"]
    if user is not None and user.locale in languages:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def render(kind_key: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a kind in a language; templates get plain values only."""
    kind = KINDS[kind_key]
    env = current_app.jinja_env
    values = {**context, "kind": kind_key, "language": language}
    with force_locale(language):
        values = {k: str(v) if isinstance(v, LazyString) else v for k, v in values.items()}
        subject = str(kind.subject) % {k: v for k, v in values.items() if isinstance(v, str)}
        text = env.get_template(f"emails/{kind.template}.txt").render(values)
        html = env.get_template(f"emails/{kind.template}.html").render(values)
    return " ".join(subject.split())[:255], text, html


def compose(kind_key: str, user: User, context: dict, *, competition_id: int | None = None,
            organisation_id: int | None = None, dedupe_key: str | None = None) -> Message | None:
    """Record a message to ``user``; None when they opted out of this kind or it was sent before."""
    if KINDS[kind_key].reminder and user.reminders_off:
        return None
    if dedupe_key and db.session.scalar(select(exists().where(Message.dedupe_key == dedupe_key))):
        return None
    language = language_of(user)
    values = {"name": user.name, "email": user.email, **context}
    subject, text, html = render(kind_key, language, values)
    message = Message(kind=kind_key, to_email=user.email, to_name=user.name, user_id=user.id,
                      competition_id=competition_id, organisation_id=organisation_id,
                      language=language, subject=subject, body_text=text, body_html=html,
                      status="waiting", attempts=0, last_error="", dedupe_key=dedupe_key)
    db.session.add(message)
    return message
