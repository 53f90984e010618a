"""The page frame of ``base.html``: its parts rendered once per process, filled per request.

A part (``templates/_frame/<name>.html``) may depend only on the language, the signed-in
user's roles and three slots (``csrf``, ``next``, ``name``). It is rendered once per
(language, roles, signed in or not) and kept as text; each request fills the slots with its
escaped values. A role granted or revoked changes the key, so the next page shows it.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from judging.i18n import speaking
from judging.permissions import has_audience, signed_in_user
from judging.security import form_token

NAV_AUDIENCES = ("admin", "organizer", "juror", "participant")
SLOTS = ("csrf", "next", "name")
# A slot is rendered as this marker and found again when the part is split into pieces.
_MARK = "\x00{}\x00"
_MARKS = re.compile("\x00(" + "|".join(SLOTS) + ")\x00")
_KEPT = 512  # parts kept per app: languages × role sets × parts is far below this
PARTS = ("head", "nav", "account", "foot")
# Warmed before a worker's first page: signed out, and each audience of the hot pages alone.
USUAL_ROLES = (None, frozenset({"juror"}), frozenset({"participant"}), frozenset({"organizer"}))


def init_app(app: Flask) -> None:
    """Give every template ``frame``: the layout's values for this request."""
    app.extensions["judging.frame_parts"] = {}

    @app.context_processor
    def frame_context():
        return {"frame": Frame()} if has_request_context() else {}


def nav_roles(user) -> frozenset[str]:
    """The audiences the signed-in user belongs to, for building the menu."""
    if user is None:
        return frozenset()
    return frozenset(a for a in NAV_AUDIENCES if has_audience(user, a))


class Frame:
    """What ``base.html`` needs for one page render, each value worked out once."""

    def __init__(self) -> None:
        user = signed_in_user()
        self.user = user if user.is_authenticated else None
        self.roles = nav_roles(self.user)
        self.locale = str(get_locale())
        self._csrf: str | None = None
        self._app = current_app._get_current_object()
        self._key = (self.locale, self.roles, self.user is not None, request.script_root)

    # ``frame.head`` in a template: an attribute costs Jinja less than calling ``part``
    head = property(lambda self: self.part("head"))
    nav = property(lambda self: self.part("nav"))
    account = property(lambda self: self.part("account"))
    foot = property(lambda self: self.part("foot"))

    @property
    def csrf(self) -> str:
        """The form token of this page (one per request, as Flask-WTF keeps it)."""
        if self._csrf is None:
            self._csrf = form_token()
        return self._csrf

    def slot(self, name: str) -> str:
        """A slot's text for this request, not yet escaped."""
        if name == "csrf":
            return self.csrf
        if name == "next":
            return request.full_path if request.query_string else request.path
        return self.user.name if self.user is not None else ""

    def part(self, name: str) -> Markup:
        """The part ``_frame/<name>.html`` for this language and role set, slots filled."""
        pieces = _pieces(self._app, name, self._key)
        if len(pieces) == 1:
            return pieces[0]
        filled = [str(escape(self.slot(p))) if i % 2 else p for i, p in enumerate(pieces)]
        return Markup("".join(filled))


def _pieces(app: Flask, name: str, key: tuple) -> list:
    """The part split at its slots: text, slot name, text, …; kept unless templates reload.

    ``key``: (language, roles, signed in, script root). A part without slots is one Markup.
    """
    kept = app.extensions["judging.frame_parts"]
    pieces = kept.get((name, key))
    if pieces is None:
        locale, roles, signed_in, _root = key
        pieces = _MARKS.split(_render(name, locale, roles, signed_in))
        if len(pieces) == 1:
            pieces = [Markup(pieces[0])]
        if not app.jinja_env.auto_reload:
            if len(kept) >= _KEPT:
                kept.clear()
            kept[(name, key)] = pieces
    return pieces


def _render(name: str, locale: str, roles: frozenset[str], signed_in: bool) -> str:
    app = current_app
    template = app.jinja_env.get_template(f"_frame/{name}.html")
    slots = {slot: Markup(_MARK.format(slot)) for slot in SLOTS}
    return template.render(locale=locale, roles=roles, signed_in=signed_in,
                           languages=app.config["LANGUAGES"], **slots)


def warm_up(app: Flask) -> None:
    """Keep the frame's parts for each language and the usual role sets before a worker's
    first page, as its first request in each would."""
    with app.test_request_context("/"):
        for locale in app.config["LANGUAGES"]:
            with speaking(locale):
                for roles in USUAL_ROLES:
                    for name in PARTS:
                        _pieces(app, name, (locale, roles or frozenset(), roles is not None,
                                            request.script_root))
