"""The ranking engine: monev by the method, jury by the marks, weights, ties, shared ranks.

Plain data in, ``RankedEntry`` out, no Flask and no database, so the numbers behind a
published ranking can be recomputed and explained from a notebook.

Rules a reader of a ranking can rely on:

- Jury component = the aggregate of the counted jurors' scores (see ``jury.py``);
  entries the method's gate did not advance, or with no counted juror, get 0.
- Each component is rounded to 0.01 (half up) first; the total is computed from those
  shown components, Σ weight × component ÷ 100, and rounded to 0.01 (half up), so
  anyone can recompute a total from the printed numbers. The arithmetic after the
  first rounding is exact (integers), never float.
- Ties on the total are broken by the jury component, then by the monev part (the
  weighted mean of the non-jury components, compared exactly, never rounded: a
  difference in a shown component always counts); still-equal entries share a rank
  (1, 2, 2, 4) and are listed by name. Input order never changes the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from judging.scoring.jury import JuryResult, juror_jury_score, jury_scores
from judging.scoring.method import ScoringMethod
from judging.scoring.types import (
    CategorySettings,
    CohortEntry,
    Criterion,
    JurorMark,
    MarkColumns,
    MonevScore,
    RankedEntry,
)

if TYPE_CHECKING:  # NumPy is loaded by the first ranking, not at start-up
    import numpy as np

__all__ = ["rank_category", "juror_jury_score", "to_cent", "cents"]

_DECIMAL_CENTS = tuple(Decimal(c).scaleb(-2) for c in range(10_001))  # 0.00 … 100.00


def cents(values) -> np.ndarray:
    """Scores as whole hundredths, half up, ignoring float noise below a millionth of a cent."""
    import numpy as np

    return np.floor(np.round(np.asarray(values, np.float64) * 100, 6) + 0.5).astype(np.int64)


def to_cent(value: float) -> Decimal:
    """A float score as a two-decimal Decimal, rounded exactly as the engine rounds."""
    return _decimal(int(cents(value)))


def _decimal(whole_cents: int) -> Decimal:
    if 0 <= whole_cents <= 10_000:
        return _DECIMAL_CENTS[whole_cents]
    return Decimal(whole_cents).scaleb(-2)


def rank_category(
    method: ScoringMethod,
    settings: CategorySettings,
    entries: Iterable[CohortEntry],
    criteria: Sequence[Criterion],
    marks: Iterable[JurorMark] | MarkColumns,
    conflicts: Iterable[tuple[int, int]] = frozenset(),
) -> list[RankedEntry]:
    """Rank one category: monev by the method, jury by the marks, then weights and ties.

    ``marks`` are ``JurorMark`` objects or, for a large category, ``MarkColumns``;
    ``conflicts`` holds ``(juror_id, entry_id)`` pairs whose marks are left out.
    Raises ValueError (Indonesian / English) for impossible settings or marks.
    """
    import numpy as np

    problems = method.check_settings(settings)
    if problems:
        raise ValueError("; ".join(f"{p.message_id} / {p.message_en}" for p in problems))
    if not criteria:
        raise ValueError("Kategori belum punya kriteria juri / The category has no jury criteria")
    cohort = _sorted_cohort(entries)
    monev = _checked_monev(method, cohort, method.score(cohort, settings))
    advanced = np.fromiter((monev[e.entry_id].advanced for e in cohort), bool, len(cohort))
    jury = jury_scores(cohort, criteria, marks, conflicts, settings, advanced)
    return _ranked(method, settings, cohort, monev, jury)


def _sorted_cohort(entries: Iterable[CohortEntry]) -> list[CohortEntry]:
    cohort = sorted(entries, key=lambda e: e.entry_id)
    for a, b in zip(cohort, cohort[1:], strict=False):
        if a.entry_id == b.entry_id:
            raise ValueError(f"Entri {a.entry_id} muncul dua kali / Entry {a.entry_id} twice")
    return cohort


def _checked_monev(
    method: ScoringMethod, cohort: list[CohortEntry], monev: dict[int, MonevScore]
) -> dict[int, MonevScore]:
    """Refuse a method result that would silently give an entry a wrong total."""
    needed = {c.key for c in method.components if not c.jury}
    for entry in cohort:
        score = monev.get(entry.entry_id)
        if score is None or set(score.components) != needed:
            raise ValueError(
                f"{method.key}.score gave entry {entry.entry_id} components "
                f"{sorted(score.components) if score else None}, expected {sorted(needed)}"
            )
        bad = {k: v for k, v in score.components.items() if not 0 <= v <= 100}
        if bad:
            raise ValueError(f"{method.key}.score gave entry {entry.entry_id} {bad}: not 0-100")
    return monev


def _scaled_weights(weights: dict[str, float]) -> tuple[dict[str, int], int]:
    """Weights as integers times 10^k (k = most decimals used), for exact arithmetic."""
    exact = {k: Decimal(repr(float(w))) for k, w in weights.items()}
    places = max(0, *(-int(d.as_tuple().exponent) for d in exact.values()))
    return {k: int(d.scaleb(places)) for k, d in exact.items()}, 10**places


def _component_cents(method, cohort, monev, jury: JuryResult) -> dict[str, list[int]]:
    """Every component of every entry in whole cents, in cohort order."""
    import numpy as np

    out = {}
    for comp in method.components:
        if comp.jury:
            raw = jury.score
        else:
            raw = np.fromiter(
                (monev[e.entry_id].components[comp.key] for e in cohort), np.float64, len(cohort)
            )
        out[comp.key] = cents(raw).tolist()
    return out


def _ranked(method, settings, cohort, monev, jury: JuryResult) -> list[RankedEntry]:
    """Totals and tie-break keys in exact integers, then ranks and RankedEntry objects."""
    weights = method.weights(settings)
    scaled, scale = _scaled_weights(weights)
    jury_key = method.jury_component().key
    comp_cents = _component_cents(method, cohort, monev, jury)
    keys = list(comp_cents)
    unit = 100 * scale
    rows = []
    for i, values in enumerate(zip(*comp_cents.values(), strict=True)):
        by_key = dict(zip(keys, values, strict=True))
        part = sum(scaled[k] * v for k, v in by_key.items() if k != jury_key)
        total = (part + scaled[jury_key] * by_key[jury_key] + unit // 2) // unit
        # The weighted sum in exact integers orders entries as the weighted mean would,
        # without rounding away a difference the reader can see in the components.
        name = cohort[i].name
        rows.append((-total, -by_key[jury_key], -part, name.casefold(), name, i, by_key))
    rows.sort(key=lambda row: row[:6])
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(rows, start=1):
        if row[:3] != previous:
            rank, previous = position, row[:3]
        ranked.append(_entry(method, settings, cohort, monev, jury, weights, row, rank))
    return ranked


def _entry(method, settings, cohort, monev, jury, weights, row, rank) -> RankedEntry:
    i, by_key = row[5], row[6]
    entry, score = cohort[i], monev[cohort[i].entry_id]
    counted = int(jury.counted[i])
    total = _decimal(-row[0])
    flags = score.flags
    if score.advanced and counted < settings.required_marks:
        flags += ("few_marks",)
    if counted >= 2 and jury.spread[i] > settings.disagreement_threshold:
        flags += ("disagreement",)
    return RankedEntry(
        entry_id=entry.entry_id,
        name=entry.name,
        rank=rank,
        total=total,
        components={k: _decimal(v) for k, v in by_key.items()},
        band=method.band(total, settings),
        advanced=score.advanced,
        jurors_counted=counted,
        juror_scores=jury.juror_scores[i],
        subscores=dict(score.subscores),
        weights=dict(weights),
        flags=tuple(flags),
    )
