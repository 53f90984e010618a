"""Jury side of the engine: one score per juror and entry, then one per entry.

A juror's score for an entry counts only when the juror marked every criterion of
the category; conflicted jurors and entries the gate did not advance are left out
before anything is computed, so they never move another entry's normalisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from judging.scoring.types import CategorySettings, CohortEntry, Criterion, JurorMark, MarkColumns

if TYPE_CHECKING:  # NumPy is loaded by the first ranking, not at start-up
    import numpy as np

_FLAT_STD = 1e-9  # a juror whose scores differ by less than this gave one score to all


def juror_jury_score(criteria: Sequence[Criterion], marks: Mapping[str, float]) -> float | None:
    """One juror's jury score (0–100) for one entry, or None when a criterion is unmarked.

    Σ(weight × mark ÷ max) ÷ Σ weight × 100 over the category's criteria; shown to
    the juror while marking and equal to what the engine counts.
    """
    if not criteria or any(marks.get(c.key) is None for c in criteria):
        return None
    weighted = 0.0
    for c in criteria:
        weighted += c.weight * marks[c.key] / c.max_mark
    return weighted / sum(c.weight for c in criteria) * 100


@dataclass(frozen=True)
class JuryResult:
    """The jury side of a category, one array slot per entry (entries sorted by id)."""

    score: np.ndarray  # aggregated jury component, 0..100
    counted: np.ndarray  # jurors behind each aggregate
    spread: np.ndarray  # max - min of the counted jurors' raw scores
    juror_scores: list[dict[int, float]]


def jury_scores(
    cohort: list[CohortEntry],
    criteria: Sequence[Criterion],
    marks: Iterable[JurorMark] | MarkColumns,
    conflicts: Iterable[tuple[int, int]],
    settings: CategorySettings,
    advanced: np.ndarray,
) -> JuryResult:
    """Per-juror scores from marks, then one jury component per entry."""
    import numpy as np

    n_entries = len(cohort)
    pair_entry, pair_juror, juror_ids, scores = _juror_pair_scores(
        cohort, criteria, marks, conflicts, advanced
    )
    counted = np.bincount(pair_entry, minlength=n_entries)
    values = _normalised(pair_juror, scores) if settings.normalise else scores
    aggregate = _aggregate(pair_entry, values, counted, settings.aggregation)
    if settings.normalise and scores.size:
        aggregate = np.clip(scores.mean() + scores.std() * aggregate, 0, 100)
    aggregate = np.where(counted > 0, aggregate, 0.0)
    spread = np.zeros(n_entries)
    present = np.flatnonzero(counted)
    if present.size:
        starts = np.concatenate(([0], np.cumsum(counted[present])[:-1]))
        spread[present] = np.maximum.reduceat(scores, starts) - np.minimum.reduceat(scores, starts)
    per_entry: list[dict[int, float]] = [{} for _ in range(n_entries)]
    for e, j, s in zip(
        pair_entry.tolist(), juror_ids[pair_juror].tolist(), scores.tolist(), strict=True
    ):
        per_entry[e][j] = s
    return JuryResult(aggregate, counted, spread, per_entry)


def _juror_pair_scores(cohort, criteria, marks, conflicts, advanced):
    """(entry index, juror index, juror ids, score) of every complete juror × entry pair.

    Pairs come out sorted by entry, then juror id, whatever the order of ``marks``.
    """
    import numpy as np

    entry_pos = {e.entry_id: i for i, e in enumerate(cohort)}
    entry, crit, juror, value = _columns(cohort, criteria, marks)
    keep = (entry >= 0) & (crit >= 0)
    keep[keep] &= advanced[entry[keep]]
    entry, crit, juror, value = entry[keep], crit[keep], juror[keep], value[keep]
    juror_ids, juror = np.unique(juror, return_inverse=True)
    juror = juror.reshape(-1)
    n_jurors, n_crit = max(len(juror_ids), 1), len(criteria)
    pair = entry * n_jurors + juror
    conflict_codes = _conflict_codes(conflicts, entry_pos, juror_ids, n_jurors)
    if conflict_codes.size:
        ok = ~np.isin(pair, conflict_codes)
        pair, crit, value = pair[ok], crit[ok], value[ok]
    weight = np.array([c.weight for c in criteria], np.float64)
    max_mark = np.array([c.max_mark for c in criteria], np.float64)
    _check_values(value, crit, max_mark, pair, criteria, cohort, juror_ids, n_jurors)
    order = np.argsort(pair * n_crit + crit, kind="stable")
    pair, crit, value = pair[order], crit[order], value[order]
    triple = pair * n_crit + crit
    if triple.size > 1 and np.any(triple[1:] == triple[:-1]):
        at = int(np.flatnonzero(triple[1:] == triple[:-1])[0])
        raise ValueError(
            _mark_text(
                "Nilai ganda / Duplicate mark",
                int(pair[at]),
                int(crit[at]),
                criteria,
                cohort,
                juror_ids,
                n_jurors,
            )
        )
    if not pair.size:
        empty = np.zeros(0, np.int64)
        return empty, empty, juror_ids, np.zeros(0)
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
    sums = np.add.reduceat(weight[crit] * value / max_mark[crit], starts)
    complete = np.diff(np.append(starts, pair.size)) == n_crit
    pairs = pair[starts][complete]
    scores = sums[complete] / weight.sum() * 100
    return pairs // n_jurors, pairs % n_jurors, juror_ids, scores


def _columns(cohort, criteria, marks):
    """(entry position, criterion position, juror id, value) arrays; -1 for a mark whose
    entry or criterion is not in this category."""
    import numpy as np

    if not isinstance(marks, MarkColumns):
        marks = mark_columns(marks if isinstance(marks, list | tuple) else list(marks))
    ids = np.fromiter((e.entry_id for e in cohort), np.int64, len(cohort))  # sorted by id
    at = np.minimum(np.searchsorted(ids, marks.entry_id), max(len(ids) - 1, 0))
    entry = np.where(ids[at] == marks.entry_id, at, -1) if len(ids) else at - 1
    crit_pos = {c.key: i for i, c in enumerate(criteria)}
    lookup = np.array([crit_pos.get(k, -1) for k in marks.criterion_keys] + [-1], np.int64)
    crit = lookup[marks.criterion] if len(marks) else np.zeros(0, np.int64)
    return entry, crit, marks.juror_id, marks.value


def mark_columns(marks: list[JurorMark]) -> MarkColumns:
    """``JurorMark`` objects as columns, for callers holding a few marks one by one."""
    import numpy as np

    keys = {m.criterion_key: None for m in marks}
    code = {k: i for i, k in enumerate(keys)}
    n = len(marks)
    return MarkColumns(
        juror_id=np.fromiter((m.juror_id for m in marks), np.int64, n),
        entry_id=np.fromiter((m.entry_id for m in marks), np.int64, n),
        criterion=np.fromiter((code[m.criterion_key] for m in marks), np.int64, n),
        value=np.fromiter((m.value for m in marks), np.float64, n),
        criterion_keys=tuple(keys),
    )


def _conflict_codes(conflicts, entry_pos, juror_ids, n_jurors) -> np.ndarray:
    import numpy as np

    juror_pos = {int(j): i for i, j in enumerate(juror_ids.tolist())}
    codes = [
        entry_pos[e] * n_jurors + juror_pos[j]
        for j, e in conflicts
        if e in entry_pos and j in juror_pos
    ]
    return np.array(codes, np.int64)


def _check_values(value, crit, max_mark, pair, criteria, cohort, juror_ids, n_jurors) -> None:
    import numpy as np

    bad = ~np.isfinite(value) | (value < 0) | (value > max_mark[crit])
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        limit = f"0–{max_mark[crit[at]]:g}"
        raise ValueError(
            _mark_text(
                f"Nilai {value[at]:g} di luar {limit} / Mark {value[at]:g} outside {limit}",
                int(pair[at]),
                int(crit[at]),
                criteria,
                cohort,
                juror_ids,
                n_jurors,
            )
        )


def _mark_text(what, pair, crit, criteria, cohort, juror_ids, n_jurors) -> str:
    entry, juror = cohort[pair // n_jurors], int(juror_ids[pair % n_jurors])
    return (
        f"{what}: juri/juror {juror}, entri/entry {entry.entry_id} ({entry.name}), "
        f"kriteria/criterion '{criteria[crit].key}'"
    )


def _normalised(pair_juror: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each juror's scores as z-scores; a juror who gave everyone one score gets z = 0."""
    import numpy as np

    if not scores.size:
        return scores
    count = np.bincount(pair_juror)
    mean = np.bincount(pair_juror, scores) / np.maximum(count, 1)
    dev = scores - mean[pair_juror]
    std = np.sqrt(np.bincount(pair_juror, dev * dev) / np.maximum(count, 1))
    flat = std <= _FLAT_STD * np.maximum(1.0, np.abs(mean))
    return np.where(flat[pair_juror], 0.0, dev / np.where(flat, 1.0, std)[pair_juror])


def _aggregate(
    pair_entry: np.ndarray, values: np.ndarray, counted: np.ndarray, how: str
) -> np.ndarray:
    """Mean, median or trimmed mean (one high, one low dropped from 4 jurors) per entry."""
    import numpy as np

    out = np.zeros(len(counted))
    present = np.flatnonzero(counted)
    if not present.size:
        return out
    ordered = values[np.lexsort((values, pair_entry))]
    k = counted[present]
    starts = np.concatenate(([0], np.cumsum(k)[:-1]))
    sums = np.add.reduceat(ordered, starts)
    if how == "median":
        out[present] = (ordered[starts + (k - 1) // 2] + ordered[starts + k // 2]) / 2
    elif how == "trimmed":
        trim = k >= 4
        trimmed = (sums - ordered[starts] - ordered[starts + k - 1]) / np.maximum(k - 2, 1)
        out[present] = np.where(trim, trimmed, sums / k)
    else:
        out[present] = sums / k
    return out
