"""The scoring page's rubric in the reader's language, worked out once per rubric and language.

A category's legends, scales and monev headers depend only on its method and criteria, which
change only when an organizer edits them. They are kept per app (so per process) under the
criteria as read on each request (every stored value) and the language, so an edit made
through any worker gives a new key: a page never shows a stale rubric.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from judging.i18n import interface_language, pick, plain_number, rubric_text
from judging.plugin_setup import methods

KEPT_AT_MOST = 256  # rubrics × languages an app keeps; more starts the store afresh


@dataclass(frozen=True)
class RubricLine:
    """One criterion as its fieldset shows it, escaped once."""

    id: int
    legend: Markup
    guidance: Markup
    scale: Markup  # "(0–100, bobot 25)"
    top: str  # the number input's max: 100, 12.5
    weight: str  # as stored, for the page script's running total


@dataclass(frozen=True)
class Rubric:
    """The criteria lines and the method's monev indicators (key, header, unit) in order."""

    lines: tuple[RubricLine, ...]
    indicators: tuple[tuple[str, str, str], ...] | None  # None: the method is not installed


def rubric_for(method_key: str, criteria: Sequence) -> Rubric:
    """The rubric for these criteria (rows as stored) in the reader's language."""
    kept = current_app.extensions.setdefault("jury_rubrics", {})
    key = (method_key, tuple(criteria), interface_language())
    found = kept.get(key)
    if found is None:
        if len(kept) >= KEPT_AT_MOST:
            kept.clear()
        found = kept[key] = _worked_out(method_key, criteria)
    return found


def _worked_out(method_key: str, criteria: Sequence) -> Rubric:
    weight_word = _("bobot")
    lines = tuple(
        RubricLine(
            c.id, escape(rubric_text(method_key, c.key, c.label)),
            escape(rubric_text(method_key, c.key, c.guidance, "guidance")) if c.guidance
            else Markup(""),
            escape(f"(0–{plain_number(c.max_mark)}, {weight_word} {plain_number(c.weight)})"),
            shown(c.max_mark), str(c.weight))
        for c in criteria)
    try:
        method = methods().get(method_key)
    except KeyError:
        return Rubric(lines, None)
    return Rubric(lines, tuple((ind.key, pick(ind.header), pick(ind.unit))
                               for ind in method.indicators))


def shown(value: Decimal | None) -> str:
    """A stored mark as an input's value: 80.5, 100 (no exponent, no trailing zeros)."""
    return "" if value is None else format(Decimal(value).normalize(), "f")
