"""Geometry for the server-drawn SVG charts of a ranking (templates only place shapes).

Label room is computed from the longest label so no name is clipped by the viewBox; a
label longer than ``MAX_LABEL_CHARS`` is shortened and keeps its full text as a tooltip.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from math import ceil

from judging.i18n import decimal, pick
from judging.results.live import Ranking

PLOT_W = 400
ROW_H = 22
CHAR_W = 7.5  # a generous average advance of the 13 px label font
MAX_LABEL_CHARS = 40
LABEL_GAP = 6  # between a label's end and the plot


@dataclass(frozen=True)
class Bar:
    """One entry's total (or one band's count) as a horizontal bar."""

    label: str
    y: int
    width: int
    value: str
    css: str  # "rbar-award", "rbar" or "rbar-out"
    title: str = ""


@dataclass(frozen=True)
class Strip:
    """One juror's jury scores as dots on a 0–100 line, with their mean."""

    label: str
    y: int
    xs: tuple[int, ...]
    mean_x: int
    mean: str
    count: int
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """An SVG's size, its rows and its axis ticks (x position, label)."""

    width: int
    height: int
    rows: tuple
    ticks: tuple[tuple[int, int], ...]
    plot_x: int
    plot_w: int = PLOT_W


def text_width(text: str) -> int:
    """The room a label needs at the chart font, rounded up."""
    return ceil(len(text) * CHAR_W)


def short(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The text cut to ``limit`` characters with an ellipsis; the full text goes in a title."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plot_x(labels: list[str]) -> int:
    return LABEL_GAP * 2 + max((text_width(t) for t in labels), default=40)


def _scale(plot_x: int, score: float) -> int:
    return plot_x + round(max(0.0, min(100.0, float(score))) * PLOT_W / 100)


def _ticks(plot_x: int, top: int = 100, step: int = 20) -> tuple[tuple[int, int], ...]:
    return tuple((plot_x + round(v * PLOT_W / top), v) for v in range(0, top + 1, step))


def totals_chart(ranking: Ranking) -> Chart:
    """A bar per entry, best first; awarded entries and entries past the gate stand out."""
    names = [f"{line.ranked.rank}. {line.ranked.name}" for line in ranking.lines]
    labels = [short(n) for n in names]
    plot_x = _plot_x(labels)
    bars = []
    for i, line in enumerate(ranking.lines):
        css = "rbar-award" if line.award else ("rbar" if line.ranked.advanced else "rbar-out")
        value = decimal(line.ranked.total)
        bars.append(Bar(labels[i], 10 + i * ROW_H, _scale(plot_x, line.ranked.total) - plot_x,
                        value, css, names[i]))
    right = max((text_width(b.value) for b in bars), default=0) + LABEL_GAP * 2
    return Chart(plot_x + PLOT_W + right, 30 + len(bars) * ROW_H, tuple(bars), _ticks(plot_x),
                 plot_x)


def juror_chart(ranking: Ranking, labels: dict[int, str]) -> Chart:
    """Each juror's scores across entries: a lenient or harsh juror shows at a glance."""
    scores: dict[int, list[float]] = defaultdict(list)
    for line in ranking.lines:
        for juror, score in line.ranked.juror_scores.items():
            scores[juror].append(score)
    jurors = sorted(scores, key=lambda j: labels.get(j, str(j)))
    names = [labels.get(j, f"Juri {j}") for j in jurors]
    plot_x = _plot_x([short(n) for n in names])
    strips = []
    for i, juror in enumerate(jurors):
        values = scores[juror]
        mean = sum(values) / len(values)
        dots = tuple(_scale(plot_x, v) for v in values)
        strips.append(Strip(short(names[i]), 10 + i * ROW_H, dots, _scale(plot_x, mean),
                            decimal(mean), len(values), names[i]))
    right = max((text_width(f"{s.mean} ({s.count})") for s in strips), default=0) + LABEL_GAP * 2
    return Chart(plot_x + PLOT_W + right, 30 + len(strips) * ROW_H, tuple(strips),
                 _ticks(plot_x), plot_x)


def band_chart(ranking: Ranking, bands: tuple[str, ...] = ()) -> Chart | None:
    """How many entries got each band (the method's order first), or None without bands."""
    counts = Counter(line.ranked.band for line in ranking.lines if line.ranked.band)
    if not counts:
        return None
    order = [b for b in bands if b in counts] + sorted(b for b in counts if b not in bands)
    labels = [short(pick(b)) for b in order]  # the method's Text: English when read so
    plot_x = _plot_x(labels)
    top = max(counts.values())
    step = max(1, ceil(top / 5))
    top = step * ceil(top / step)
    bars = tuple(
        Bar(labels[i], 10 + i * ROW_H, round(counts[band] * PLOT_W / top), str(counts[band]),
            "rbar", pick(band))
        for i, band in enumerate(order)
    )
    right = max(text_width(b.value) for b in bars) + LABEL_GAP * 2
    return Chart(plot_x + PLOT_W + right, 30 + len(bars) * ROW_H, bars,
                 _ticks(plot_x, top, step), plot_x)
