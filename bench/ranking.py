"""Rank 5,000 entries × 7 jurors × 10 criteria; compare with plain NumPy in the same run.

Both sides start from the same Python objects (``JurorMark`` and ``CohortEntry``
lists, as the database layer hands them over) and produce the same totals; the
baseline skips everything that makes a ranking explainable (Decimal rounding, flags,
per-juror breakdowns, tie-breaks by name). Target: within 3× of NumPy and under 1 s.

Run: .venv/bin/python bench/ranking.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

try:
    import judging.scoring  # noqa: F401
except ModuleNotFoundError:  # editable install built before the package existed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judging.scoring import (  # noqa: E402
    CategorySettings,
    CohortEntry,
    Criterion,
    JurorMark,
    load_methods,
    rank_category,
)

ENTRIES, JURORS, CRITERIA, REPEATS = 5_000, 7, 10, 7


def make_data(seed: int = 2025):
    """A complaint-handling category: valid indicator rows, every juror marks everything."""
    rng = np.random.default_rng(seed)
    masuk = rng.integers(0, 500, ENTRIES)
    tl = (masuk * rng.uniform(0.5, 1, ENTRIES)).astype(int)
    selesai = (tl * rng.uniform(0.5, 1, ENTRIES)).astype(int)
    tepat = (selesai * rng.uniform(0.3, 1, ENTRIES)).astype(int)
    hari = rng.uniform(0, 8, ENTRIES).round(1)
    entries = [
        CohortEntry(i + 1, f"Kelurahan {i + 1:05d}", {
            "laporan_masuk": float(masuk[i]), "ditindaklanjuti": float(tl[i]),
            "selesai": float(selesai[i]), "selesai_tepat_waktu": float(tepat[i]),
            "rata_hari_respons": float(hari[i]),
        })
        for i in range(ENTRIES)
    ]
    criteria = [Criterion(f"k{c}", f"Kriteria {c}", float(rng.integers(1, 6)), max_mark=10)
                for c in range(CRITERIA)]
    values = rng.integers(0, 21, (JURORS, ENTRIES, CRITERIA)) / 2
    marks = [JurorMark(j + 101, e.entry_id, c.key, float(values[j, i, k]))
             for j in range(JURORS) for i, e in enumerate(entries)
             for k, c in enumerate(criteria)]
    return entries, criteria, marks


def numpy_totals(entries, criteria, marks) -> tuple[np.ndarray, np.ndarray]:
    """The same totals with NumPy alone: (entry ids, totals rounded to 0.01)."""
    ids = np.fromiter((e.entry_id for e in entries), np.int64, len(entries))
    cols = {k: np.fromiter((e.indicators[k] or 0 for e in entries), float, len(entries))
            for k in ("laporan_masuk", "ditindaklanjuti", "selesai", "selesai_tepat_waktu",
                      "rata_hari_respons")}
    masuk = cols["laporan_masuk"]
    safe = np.maximum(masuk, 1)
    f, c = cols["ditindaklanjuti"] / safe, cols["selesai"] / safe
    t = np.where(cols["selesai"] > 0, cols["selesai_tepat_waktu"] / np.maximum(cols["selesai"], 1),
                 0)
    r = np.clip((5 - cols["rata_hari_respons"]) / 5, 0, 1)
    monev = np.where(masuk > 0, 100 * (0.30 * f + 0.30 * c + 0.25 * t + 0.15 * r), 0)

    n = len(marks)
    pos = {eid: i for i, eid in enumerate(ids.tolist())}
    crit = {cr.key: i for i, cr in enumerate(criteria)}
    e = np.fromiter((pos[m.entry_id] for m in marks), np.int64, n)
    k = np.fromiter((crit[m.criterion_key] for m in marks), np.int64, n)
    j = np.fromiter((m.juror_id for m in marks), np.int64, n)
    v = np.fromiter((m.value for m in marks), float, n)
    w = np.array([cr.weight for cr in criteria])
    mx = np.array([cr.max_mark for cr in criteria])
    juror_ids, jj = np.unique(j, return_inverse=True)
    pair = e * len(juror_ids) + jj.reshape(-1)
    per_pair = np.bincount(pair, w[k] * v / mx[k], len(entries) * len(juror_ids))
    juror_scores = per_pair.reshape(len(entries), len(juror_ids)) / w.sum() * 100
    jury = juror_scores.mean(axis=1)

    def cents(x):
        return np.floor(np.round(x, 9) * 100 + 0.5) / 100

    total = cents(0.6 * cents(monev) + 0.4 * cents(jury))
    order = np.lexsort((-cents(jury), -total))
    return ids[order], total[order]


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    entries, criteria, marks = make_data()
    method = load_methods(entry_points=False).get("complaint_handling")
    settings = CategorySettings(weights={"monev": 60, "jury": 40})
    engine_s, ranked = best_of(lambda: rank_category(method, settings, entries, criteria, marks))
    numpy_s, (ids, totals) = best_of(lambda: numpy_totals(entries, criteria, marks))
    engine_totals = {r.entry_id: float(r.total) for r in ranked}
    same = sum(engine_totals[i] == t for i, t in zip(ids.tolist(), totals.tolist(), strict=True))
    ratio = engine_s / numpy_s
    print(f"ranking {ENTRIES:,} entries × {JURORS} jurors × {CRITERIA} criteria "
          f"({len(marks):,} marks), best of {REPEATS}")
    print(f"  rank_category      {engine_s * 1000:8.1f} ms")
    print(f"  plain NumPy        {numpy_s * 1000:8.1f} ms")
    print(f"  ratio              {ratio:8.2f} ×   within 3×: {'yes' if ratio <= 3 else 'NO'}"
          f"   under 1 s: {'yes' if engine_s < 1 else 'NO'}")
    print(f"  same totals        {same:,} of {ENTRIES:,}")


if __name__ == "__main__":
    main()
