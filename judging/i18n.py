"""Bahasa Indonesia first, English second; dates in the competition's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user

from judging.extensions import babel
from judging.labels import label

TRANSLATIONS = "translations"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with a per-user locale and add date filters to Jinja."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=TRANSLATIONS)
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.globals.update(label=label, pick=pick)

    @app.context_processor
    def language_context():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}


def select_locale() -> str:
    """The user's saved choice, then this session's choice, then Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def to_zone(moment: datetime, tz_name: str | None = None) -> datetime:
    """Convert a stored UTC moment to the competition's zone (default Asia/Jakarta)."""
    zone = ZoneInfo(tz_name or current_app.config["DEFAULT_TIMEZONE"])
    return moment.astimezone(zone)


def localtime(moment: datetime | None, tz_name: str | None = None, fmt: str = "medium") -> str:
    """Jinja filter: a UTC moment shown in the competition's zone, with the zone's name."""
    if moment is None:
        return "–"
    local = to_zone(moment, tz_name)
    abbreviation = local.tzname() or ""
    return f"{format_datetime(local.replace(tzinfo=None), fmt, rebase=False)} {abbreviation}"


def pick(message_id, message_en: str | None = None) -> str:
    """The English text when the interface is in English, else the Indonesian one.

    Services carry both languages (``message_id``/``message_en``) because they run outside
    requests; views and templates choose here. Pass the two texts, or one object that has them.
    """
    if message_en is None and hasattr(message_id, "message_en"):
        message_id, message_en = message_id.message_id, message_id.message_en
    if message_en is not None and has_request_context() and str(get_locale()) == "en":
        return message_en
    return message_id
