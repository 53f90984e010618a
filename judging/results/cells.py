"""A ranking page's table cells formatted once in Python: the template only places them.

A page of fifty lines shows some five hundred numbers and labels; formatted here with the
reader's language looked up once and each band, award and flag label once a page, instead
of a filter, a locale lookup and a catalogue lookup for every cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

from markupsafe import Markup, escape

from judging.i18n import band_label, interface_language, label
from judging.io.xlsx.numbers import decimal_formatter
from judging.results.live import Line, Ranking


class RowCells(NamedTuple):
    """One ranking line as the table shows it: text only, escaped by the template."""

    line: Line  # for the breakdown shown under the row
    css: str
    entry_id: int
    entry_code: str
    entrant_code: str
    rank: int
    name: str
    components: Markup  # one numeric cell per component
    total: str
    band: str
    awards: Markup  # the award, then each special award as a badge
    jurors: int
    flags: Markup  # a badge per flag


class KeptRows(list):
    """A live page's rows, kept with its lines; ``rendered`` keeps the table text made of
    them (one entry per set of page words), so a page view only places it."""

    rendered: dict

    def __init__(self, rows):
        super().__init__(rows)
        self.rendered = {}


def ranking_cells(ranking: Ranking, flag_label: Callable[[str], str]) -> list[RowCells]:
    """Every line of ``ranking`` as its table cells, in the reader's language: for a kept
    live page, made once per language (the flags' and bands' labels depend on nothing else)."""
    lang = interface_language()
    if ranking.shown is None:
        return _cells(ranking, flag_label, lang)
    found = ranking.shown.get(("cells", lang))
    if found is None:
        found = ranking.shown[("cells", lang)] = KeptRows(_cells(ranking, flag_label, lang))
    return found


def _cells(ranking: Ranking, flag_label: Callable[[str], str], lang: str) -> list[RowCells]:
    method_key = ranking.category.method_key
    keys = [c.key for c in ranking.method.components]
    band = functools.cache(lambda stored: band_label(method_key, stored))
    award = functools.cache(lambda key: label("award", key) if key else "")

    formatted = decimal_formatter(lang)

    def number(value) -> str:
        return "–" if value is None else formatted(value)

    flag = functools.cache(
        lambda key: f'<span class="badge badge-flag badge-flag-{escape(key)}">'
                    f"{escape(flag_label(key))}</span> ")
    rows = []
    for line in ranking.lines:
        r = line.ranked
        rows.append(RowCells(
            line, _css(line), r.entry_id, line.entry_code, line.entrant_code, r.rank, r.name,
            # a formatted number is digits, a dash and the locale's marks: nothing to escape
            Markup("".join([f'<td class="num">{number(r.components.get(key))}</td>'
                            for key in keys])),
            number(r.total), band(r.band), _awards(award(line.award), line.special_awards),
            r.jurors_counted, Markup("".join(flag(f) for f in r.flags))))
    return rows


def _awards(award: str, specials: tuple[str, ...]) -> Markup:
    """The ranking award's name, then the special awards as badges, one a line."""
    parts = [str(escape(award))] if award else []
    parts += [f'<span class="badge badge-special">{escape(s)}</span>' for s in specials]
    return Markup("<br>".join(parts))


def _css(line: Line) -> str:
    """The row's classes: an awarded line stands out, one not advanced is greyed."""
    css = "ranking-row"
    if line.award:
        css += " ranking-award"
    if not line.ranked.advanced:
        css += " ranking-out"
    return css
