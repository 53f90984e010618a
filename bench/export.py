"""Ranking export speed: Juara's workbook against bare openpyxl write-only, same cells.

Data: 4 categories × 2,500 ranked entries = 10,000 entries, 3 components, 5 criteria,
5 jurors each. Both sides write the same sheets (summary, 4 rankings, per criterion,
per juror) with the same values from the same dataclasses; the baseline has no styles,
layout or formula protection. Target: Juara ≤ 1.5 × baseline. Best of ``--repeat`` runs.

    .venv/bin/python bench/export.py [--per-category 2500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from judging.io.xlsx.ranking import (  # noqa: E402
    ExportCategory,
    ExportCompetition,
    ExportRow,
    write_ranking_workbook,
)
from judging.scoring.types import Component, Criterion  # noqa: E402

TARGET = 1.5


def make_competition(per_category: int, seed: int = 7) -> ExportCompetition:
    """A synthetic competition whose rows look like real ones (names, awards, flags)."""
    rnd = random.Random(seed)
    components = [
        Component("monev", "Monev", "Monitoring", 0.6),
        Component("jury", "Juri", "Jury", 0.3, jury=True),
        Component("visit", "Visitasi", "Visit", 0.1),
    ]
    criteria = [Criterion(f"k{i}", f"Kriteria {i}", 0.2, 100) for i in range(1, 6)]
    categories = []
    for c in range(4):
        rows = []
        for i in range(per_category):
            comps = {k.key: Decimal(f"{rnd.uniform(40, 100):.2f}") for k in components}
            rows.append(ExportRow(
                rank=i + 1,
                entrant_code=f"K{c}-{i:05d}",
                entrant_name=f"Kelurahan {rnd.choice(['Sukajadi', 'Cibeunying', '=Cikutra'])} {i}",
                components=comps,
                total=Decimal(f"{100 - i * 50 / per_category:.2f}"),
                band=rnd.choice(["Informatif", "Menuju Informatif", "Cukup Informatif"]),
                award=["Peringkat Pertama", "Peringkat Kedua", "Peringkat Ketiga"][i]
                if i < 3 else None,
                special_awards=["Apresiasi Inovasi"] if i == 7 else [],
                jurors_counted=5,
                advanced=i % 13 != 0,
                flags=("Perbedaan penilaian juri",) if i % 17 == 0 else (),
                criterion_means={k.key: rnd.uniform(50, 100) for k in criteria},
                juror_scores={f"Juri {j}": rnd.uniform(50, 100) for j in range(1, 6)},
            ))
        categories.append(ExportCategory(
            f"Kategori {c + 1} Kelurahan", "Keterbukaan Informasi", "kelurahan",
            components, criteria, rows,
        ))
    return ExportCompetition("Monev KIP", 2025, "Komisi Informasi", categories,
                             datetime(2025, 11, 25, 9, 0))


def baseline(comp: ExportCompetition) -> bytes:
    """Bare openpyxl write-only: the same sheets and values, appended as they are."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ringkasan")
    ws.append(["Ringkasan"])
    ws.append([comp.name])
    ws.append([])
    ws.append(["Kategori", "Jenjang", "Penghargaan", "Peringkat", "Kode", "Peserta",
               "Nilai Akhir", "Predikat"])
    for cat in comp.categories:
        for r in cat.rows:
            for award in ([r.award] if r.award else []) + r.special_awards:
                ws.append([cat.name, cat.level, award, r.rank, r.entrant_code,
                           r.entrant_name, r.total, r.band])
    for cat in comp.categories:
        ws = wb.create_sheet(cat.name[:31])
        ws.append([cat.name])
        ws.append([comp.name])
        ws.append([])
        ws.append(["Peringkat", "Kode", "Nama"] + [c.label for c in cat.components]
                  + ["Nilai Akhir", "Predikat", "Penghargaan", "Khusus", "Juri", "Lolos",
                     "Catatan"])
        keys = [c.key for c in cat.components]
        for r in cat.rows:
            ws.append([r.rank, r.entrant_code, r.entrant_name]
                      + [r.components.get(k) for k in keys]
                      + [r.total, r.band, r.award, ", ".join(r.special_awards) or None,
                         r.jurors_counted, "Ya" if r.advanced else "Tidak",
                         ", ".join(r.flags) or None])
    for title, attr in (("Per Kriteria", "criterion_means"), ("Per Juri", "juror_scores")):
        ws = wb.create_sheet(title)
        ws.append([title])
        ws.append([comp.name])
        ws.append([])
        keys = list(getattr(comp.categories[0].rows[0], attr))
        extra = ["Jumlah Juri"] if attr == "juror_scores" else []
        ws.append(["Kategori", "Peringkat", "Kode", "Nama"] + extra + keys)
        for cat in comp.categories:
            for r in cat.rows:
                values = getattr(r, attr)
                counted = [r.jurors_counted] if extra else []
                ws.append([cat.name, r.rank, r.entrant_code, r.entrant_name] + counted
                          + [values.get(k) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    size = len(fn())
    return time.perf_counter() - start, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    comp = make_competition(args.per_category)
    entries = sum(len(c.rows) for c in comp.categories)
    ours, base = [], []
    for _ in range(args.repeat):
        base.append(timed(lambda: baseline(comp)))
        ours.append(timed(lambda: write_ranking_workbook(comp, include_jurors=True)))
    (t_base, s_base), (t_ours, s_ours) = min(base), min(ours)
    ratio = t_ours / t_base
    print(f"entries: {entries} in {len(comp.categories)} categories")
    print(f"openpyxl write-only baseline: {t_base:.2f} s ({s_base / 1e6:.2f} MB)")
    print(f"juara ranking export:         {t_ours:.2f} s ({s_ours / 1e6:.2f} MB)")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'SLOW'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
