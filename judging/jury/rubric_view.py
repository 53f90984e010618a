"""The scoring page's rubric in the reader's language, worked out once per rubric and language.

A category's legends, scales and monev headers depend only on its method and criteria, which
change only when an organizer edits them. They are kept per app (so per process) under the
criteria as read on each request (every stored value) and the language, so an edit made
through any worker gives a new key: a page never shows a stale rubric.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

from judging.i18n import interface_language, pick, plain_number, rubric_text
from judging.jury.entry_words import page_words
from judging.kept import kept
from judging.marking import scores
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
    pieces: tuple = ()  # the fieldset's fixed text between its values, open and closed

    def fieldset(self, row, closed: bool) -> Markup:
        """The criterion's fieldset with ``row``'s typed values (``closed``: inputs disabled)."""
        opening, middle, textarea, version, seen = self.pieces[closed]
        errors = "".join(f'<small class="error">{escape(e)}</small>' for e in row.errors)
        return Markup("".join((
            _HAS_ERROR if row.errors else _NO_ERROR, opening, _text(row.mark), middle, errors,
            textarea, _text(row.comment), version, _text(row.version), seen,
            _text(row.seen), _CLOSE)))


def _text(value: str) -> str:
    """A typed value escaped; an empty one (most inputs of an unscored sheet) as it is."""
    return escape(value) if value else ""


_NO_ERROR = '<fieldset class="jury-criterion">'
_HAS_ERROR = '<fieldset class="jury-criterion has-error">'
_CLOSE = '">\n    </fieldset>'


@dataclass(frozen=True)
class Rubric:
    """The criteria lines and the method's monev indicators in order.

    Each indicator is (key, its table row up to the value, the row after it), escaped once:
    only the value is written per page (see :func:`monev_row`). ``scored`` is the rubric as
    the ranking engine reads it, for the juror's score.
    """

    lines: tuple[RubricLine, ...]
    indicators: tuple[tuple[str, str, str], ...] | None  # None: the method is not installed
    scored: tuple = ()

    def fieldsets(self, rows: Sequence, closed: bool) -> Markup:
        """Every criterion's fieldset with its row of typed values, in order."""
        return Markup("\n  ".join(line.fieldset(row, closed)
                                  for line, row in zip(self.lines, rows, strict=True)))


def rubric_for(method_key: str, criteria: Sequence, lang: str | None = None) -> Rubric:
    """The rubric for these criteria (rows as stored) in the reader's language (``lang``)."""
    lang = lang or interface_language()
    return kept("jury_rubrics", (method_key, tuple(criteria), lang),
                lambda: _worked_out(method_key, criteria, lang), at_most=KEPT_AT_MOST)


def _worked_out(method_key: str, criteria: Sequence, lang: str) -> Rubric:
    weight_word, words = _("bobot"), page_words(lang)
    lines = []
    for c in criteria:
        line = RubricLine(
            c.id, escape(rubric_text(method_key, c.key, c.label)),
            escape(rubric_text(method_key, c.key, c.guidance, "guidance")) if c.guidance
            else Markup(""),
            escape(f"(0–{plain_number(c.max_mark)}, {weight_word} {plain_number(c.weight)})"),
            shown(c.max_mark), str(c.weight))
        lines.append(replace(line, pieces=(_pieces(line, words, ""),
                                           _pieces(line, words, " disabled"))))
    scored = tuple(scores.rubric(criteria))
    try:
        method = methods().get(method_key)
    except KeyError:
        return Rubric(tuple(lines), None, scored)
    return Rubric(tuple(lines), tuple((ind.key, *monev_row(pick(ind.header), pick(ind.unit)))
                                      for ind in method.indicators), scored)


def monev_row(header: str, unit: str) -> tuple[str, str]:
    """A monev table row around its value, escaped, as the page's table lays it out."""
    return (f'\n        <tr><th>{escape(header)}</th><td class="num">',
            f' {escape(unit)}</td></tr>\n      ')


def _pieces(line: RubricLine, words, disabled: str) -> tuple[str, ...]:
    """The fieldset's fixed text around its values, as the template drew it (escaped)."""
    n, top, mark, comment = line.id, escape(line.top), escape(words.mark), escape(words.comment)
    hint = f'<p class="hint">{line.guidance}</p>' if line.guidance else ""
    opening = (f'\n      <legend>{line.legend} <span class="muted">{line.scale}</span></legend>'
               f'\n      {hint}\n      <div class="jury-mark-row">'
               f'\n        <label for="mark_{n}">{mark}</label>'
               f'\n        <input class="mark-input" data-max="{top}" '
               f'data-weight="{escape(line.weight)}"{disabled} id="mark_{n}" inputmode="decimal" '
               f'max="{top}" min="0" name="mark_{n}" step="0.01" type="number" value="')
    middle = '">\n      </div>\n      '
    textarea = (f'\n      <label for="comment_{n}" class="muted">{comment}</label>'
                f'\n      <textarea{disabled} id="comment_{n}" maxlength="5000" '
                f'name="comment_{n}" rows="2">\n')
    version = (f'</textarea>\n      <input id="version_{n}" name="version_{n}" type="hidden" '
               'value="')
    seen = f'"><input id="seen_{n}" name="seen_{n}" type="hidden" value="'
    return opening, middle, textarea, version, seen


def shown(value: Decimal | None) -> str:
    """A stored mark as an input's value: 80.5, 100 (no exponent, no trailing zeros)."""
    return "" if value is None else format(Decimal(value).normalize(), "f")
