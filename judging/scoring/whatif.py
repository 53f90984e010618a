"""What-if rankings: one category under every jury aggregation, side by side.

The engine is run once per variant with only the aggregation settings changed, so a jury
chair sees whether one harsh or lenient juror decides the order. Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from judging.scoring.method import ScoringMethod
from judging.scoring.ranking import rank_category
from judging.scoring.types import (
    CategorySettings,
    CohortEntry,
    Criterion,
    JurorMark,
    MarkColumns,
    RankedEntry,
)

TRIM_FROM = 4  # the engine drops one high and one low score only from this many jurors


@dataclass(frozen=True)
class Variant:
    """One way of turning jurors' scores into the jury component."""

    key: str
    label: str  # Indonesian
    label_en: str
    aggregation: str
    normalise: bool


VARIANTS = (
    Variant("mean", "Rata-rata", "Mean", "mean", False),
    Variant("median", "Median", "Median", "median", False),
    Variant("trimmed", "Rata-rata terpangkas", "Trimmed mean", "trimmed", False),
    Variant("zscore", "Skor-z per juri", "Per-juror z-score", "mean", True),
)


@dataclass(frozen=True)
class WhatIfLine:
    """One entry's rank and total under every variant."""

    entry_id: int
    name: str
    ranks: dict[str, int]
    totals: dict[str, Decimal]

    @property
    def changed(self) -> bool:
        """Whether the entry's rank differs between variants."""
        return len(set(self.ranks.values())) > 1

    def moved(self, key: str, base: str) -> int:
        """Places gained under ``key`` compared with ``base`` (positive = better)."""
        return self.ranks[base] - self.ranks[key]


@dataclass(frozen=True)
class WhatIf:
    """A category ranked under every variant; lines in the order of the base variant."""

    variants: tuple[Variant, ...]
    base: str  # the variant the category uses now ("mean" when it uses none of them)
    current: str | None  # the category's own variant, None for a combination not listed
    lines: tuple[WhatIfLine, ...]
    places: int
    stable_places: int  # leading places held by the same entry under every variant
    short_of_trim: int  # entries with jurors but fewer than TRIM_FROM: trimmed = mean there
    judged: int  # entries with at least one counted juror

    @property
    def checked_places(self) -> int:
        """How many leading places the stability note speaks about."""
        return min(self.places, len(self.lines))

    @property
    def stable(self) -> bool:
        """Whether the awarded places are the same under every variant."""
        return self.stable_places >= self.checked_places

    @property
    def trimmed_is_mean(self) -> bool:
        """True when no entry had enough jurors for trimming to drop anything."""
        return self.judged > 0 and self.short_of_trim == self.judged


def variant_of(settings: CategorySettings) -> str | None:
    """The key of the variant a category's settings amount to, if it is one of ours."""
    for v in VARIANTS:
        if v.aggregation == settings.aggregation and v.normalise == settings.normalise:
            return v.key
    return None


def what_if(
    method: ScoringMethod,
    settings: CategorySettings,
    entries: Iterable[CohortEntry],
    criteria: Sequence[Criterion],
    marks: Iterable[JurorMark] | MarkColumns,
    conflicts: Iterable[tuple[int, int]] = frozenset(),
) -> WhatIf:
    """Rank the category under every variant. Raises ValueError as ``rank_category`` does."""
    entries, conflicts = list(entries), set(conflicts)
    marks = marks if isinstance(marks, MarkColumns) else list(marks)
    ranked = {
        v.key: rank_category(method, replace(settings, aggregation=v.aggregation,
                                             normalise=v.normalise),
                             entries, criteria, marks, conflicts)
        for v in VARIANTS
    }
    current = variant_of(settings)
    base = current or "mean"
    lines = _lines(ranked, base)
    counted = [r.jurors_counted for r in ranked[base] if r.jurors_counted]
    return WhatIf(
        variants=VARIANTS, base=base, current=current, lines=tuple(lines),
        places=settings.places, stable_places=_stable_places(ranked),
        short_of_trim=sum(1 for c in counted if c < TRIM_FROM), judged=len(counted),
    )


def _lines(ranked: dict[str, list[RankedEntry]], base: str) -> list[WhatIfLine]:
    by_entry = {k: {r.entry_id: r for r in rows} for k, rows in ranked.items()}
    return [
        WhatIfLine(
            entry_id=r.entry_id, name=r.name,
            ranks={k: rows[r.entry_id].rank for k, rows in by_entry.items()},
            totals={k: rows[r.entry_id].total for k, rows in by_entry.items()},
        )
        for r in ranked[base]
    ]


def _stable_places(ranked: dict[str, list[RankedEntry]]) -> int:
    """Leading positions where every variant lists the same entry at the same rank."""
    orders = [[(r.entry_id, r.rank) for r in rows] for rows in ranked.values()]
    stable = 0
    for position in zip(*orders, strict=True):
        if len(set(position)) > 1:
            break
        stable += 1
    return stable
