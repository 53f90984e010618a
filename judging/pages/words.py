"""A hot page's fixed words and the moments many pages show, in the reader's language,
worked out once per app (so per process) instead of once per view.

A template's ``_()`` costs a catalogue lookup through Jinja's call machinery each time, and
a formatted date Babel's pattern machinery; both give the same text for every view in one
language, so a hot page gets them here (words as Markup, as ``_()`` gives them to a template).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from markupsafe import Markup

from judging.i18n import interface_language, localtime
from judging.kept import kept

KEPT_MOMENTS = 1024  # formatted moments an app keeps before starting afresh


def page_words(page: str, table: Mapping, lang: str | None = None) -> SimpleNamespace:
    """``table``'s lazy texts, translated once per language for the page named ``page``
    (``lang``: the reader's, when the caller has it already).

    Attributes, not a dict: Jinja's ``w.name`` finds an attribute at once, a key only after
    a failed attribute lookup.
    """
    kept = current_app.extensions.setdefault("page_words", {})
    key = (page, lang or interface_language())
    found = kept.get(key)
    if found is None:
        found = kept[key] = SimpleNamespace(**{name: Markup(str(text))
                                               for name, text in table.items()})
    return found


def moment_text(moment: datetime | None, tz_name: str | None, lang: str | None = None) -> str:
    """``localtime`` of a moment many views show (a deadline), formatted once per language."""
    return kept("page_moments", (moment, tz_name, lang or interface_language()),
                lambda: localtime(moment, tz_name), at_most=KEPT_MOMENTS)
