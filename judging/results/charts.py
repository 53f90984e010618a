"""Geometry for the server-drawn SVG charts of a ranking (templates only place shapes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from judging.i18n import decimal
from judging.results.live import Ranking

LABEL_W = 180  # room for names left of the plot
PLOT_W = 400
ROW_H = 22


@dataclass(frozen=True)
class Bar:
    """One entry's total as a horizontal bar."""

    label: str
    y: int
    width: int
    value: str
    css: str  # "bar-award", "bar" or "bar-out"


@dataclass(frozen=True)
class Strip:
    """One juror's jury scores as dots on a 0–100 line, with their mean."""

    label: str
    y: int
    xs: tuple[int, ...]
    mean_x: int
    mean: str
    count: int


@dataclass(frozen=True)
class Chart:
    """An SVG's size, its rows and its axis ticks (x position, label)."""

    width: int
    height: int
    rows: tuple
    ticks: tuple[tuple[int, int], ...]
    plot_x: int = LABEL_W
    plot_w: int = PLOT_W


def _x(score: float) -> int:
    return LABEL_W + round(max(0.0, min(100.0, float(score))) * PLOT_W / 100)


def _ticks() -> tuple[tuple[int, int], ...]:
    return tuple((_x(v), v) for v in range(0, 101, 20))


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def totals_chart(ranking: Ranking) -> Chart:
    """A bar per entry, best first; awarded entries and entries past the gate stand out."""
    bars = []
    for i, line in enumerate(ranking.lines):
        css = "rbar-award" if line.award else ("rbar" if line.ranked.advanced else "rbar-out")
        label = f"{line.ranked.rank}. {_short(line.ranked.name)}"
        bars.append(Bar(label, 10 + i * ROW_H, _x(line.ranked.total) - LABEL_W,
                        decimal(line.ranked.total), css))
    return Chart(LABEL_W + PLOT_W + 60, 30 + len(bars) * ROW_H, tuple(bars), _ticks())


def juror_chart(ranking: Ranking, labels: dict[int, str]) -> Chart:
    """Each juror's scores across entries: a lenient or harsh juror shows at a glance."""
    scores: dict[int, list[float]] = defaultdict(list)
    for line in ranking.lines:
        for juror, score in line.ranked.juror_scores.items():
            scores[juror].append(score)
    strips = []
    for i, juror in enumerate(sorted(scores, key=lambda j: labels.get(j, str(j)))):
        values = scores[juror]
        mean = sum(values) / len(values)
        strips.append(Strip(_short(labels.get(juror, f"Juri {juror}")), 10 + i * ROW_H,
                            tuple(_x(v) for v in values), _x(mean), decimal(mean), len(values)))
    return Chart(LABEL_W + PLOT_W + 90, 30 + len(strips) * ROW_H, tuple(strips), _ticks())
