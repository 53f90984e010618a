"""Ranking export through the app: database → frozen results → workbook, against openpyxl.

Seeds a throwaway SQLite database with 4 categories × 2,500 submitted entries (monev
values, two jurors' submitted marks on four criteria), freezes the ranking as the
``final`` phase does, then times ``judging.results.export.ranking_workbook`` — reading the
frozen results, building the rows and writing the styled, formula-safe workbook — beside
bare openpyxl write-only writing the same cells (``bench/export.py``'s baseline), in the
same run. Target: ≤ 1.5 × the baseline. Freezing time is printed for information.

    .venv/bin/python bench/export_app.py [--per-category 2500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench.export import TARGET, baseline, timed  # noqa: E402
from judging import create_app  # noqa: E402
from judging.competitions.categories import create_category  # noqa: E402
from judging.extensions import db  # noqa: E402
from judging.io.xlsx.ranking import write_ranking_workbook  # noqa: E402
from judging.models import (  # noqa: E402
    Competition,
    Entrant,
    Entry,
    IndicatorValue,
    Mark,
    Organisation,
    Scoresheet,
    User,
)
from judging.models.types import utcnow  # noqa: E402
from judging.results.export import export_competition, ranking_workbook  # noqa: E402
from judging.results.freeze import current_ranking, freeze_results  # noqa: E402


def seed(per_category: int, seed_value: int = 7) -> Competition:
    """A final-phase-ready competition with realistic spreads of monev values and marks."""
    rnd = random.Random(seed_value)
    body = Organisation(name="Komisi Informasi", code="KI")
    db.session.add(body)
    db.session.flush()
    comp = Competition(organisation_id=body.id, name="Monev KIP", year=2026, code="KIP-2026",
                       phase="moderation")
    jurors = [User(email=f"juri{i}@bench.test", name=f"Juri {i}") for i in (1, 2)]
    db.session.add_all([comp, *jurors])
    db.session.flush()
    now, serial = utcnow(), 0
    for c in range(4):
        category = create_category(comp, name=f"Kategori {c + 1}", code=f"K{c + 1}",
                                   method_key="information_disclosure", level="opd")
        db.session.flush()
        entrants = [{"organisation_id": body.id, "code": f"E{serial + i:06d}",
                     "name": f"Badan Publik {rnd.choice(['Dinas', '=Badan', 'Kantor'])} "
                             f"{serial + i}", "level": "opd", "created_at": now}
                    for i in range(per_category)]
        serial += per_category
        db.session.execute(insert(Entrant), entrants)
        entrant_ids = db.session.scalars(db.select(Entrant.id).where(
            Entrant.code.in_([e["code"] for e in entrants]))).all()
        db.session.execute(insert(Entry), [
            {"category_id": category.id, "entrant_id": eid, "code": f"K{c + 1}-{i:05d}",
             "status": "submitted", "created_at": now, "updated_at": now, "fields": {},
             "social_links": [], "description": ""}
            for i, eid in enumerate(entrant_ids)])
        entry_ids = db.session.scalars(db.select(Entry.id).where(
            Entry.category_id == category.id)).all()
        db.session.execute(insert(IndicatorValue), [
            {"entry_id": e, "indicator_key": k, "value": Decimal(f"{rnd.uniform(50, 100):.2f}"),
             "updated_at": now}
            for e in entry_ids for k in ("nilai_saq", "nilai_website")])
        db.session.execute(insert(Scoresheet), [
            {"juror_id": j.id, "entry_id": e, "status": "submitted", "submitted_at": now,
             "version": 1, "updated_at": now, "overall_comment": "", "revisit_note": ""}
            for e in entry_ids for j in jurors])
        db.session.execute(insert(Mark), [
            {"juror_id": j.id, "entry_id": e, "criterion_id": k.id, "version": 1,
             "value": Decimal(rnd.randint(40, 100)), "updated_at": now, "comment": ""}
            for e in entry_ids for j in jurors for k in category.criteria])
    db.session.commit()
    return comp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JUDGING_INSTANCE_PATH"] = str(Path(folder) / "instance")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "bench", "AUTO_UPGRADE": True})
        with app.app_context():
            comp = seed(args.per_category)
            start = time.perf_counter()
            comp.phase = "final"
            freeze_results(comp)
            db.session.commit()
            t_freeze = time.perf_counter() - start
            plain = export_competition(
                comp, [current_ranking(c) for c in comp.categories], named_jurors=True)
            entries = sum(len(c.rows) for c in plain.categories)
            ours, base, writer = [], [], []
            for _ in range(args.repeat):
                db.session.expire_all()
                base.append(timed(lambda: baseline(plain)))
                writer.append(timed(lambda: write_ranking_workbook(plain, include_jurors=True)))
                ours.append(timed(lambda: ranking_workbook(comp, include_jurors=True)))
            db.session.remove()
            db.engine.dispose()
    (t_base, s_base), (t_ours, s_ours), (t_writer, _) = min(base), min(ours), min(writer)
    ratio = t_ours / t_base
    print(f"entries: {entries} in {len(plain.categories)} categories (SQLite)")
    print(f"freeze (rank from marks, store results): {t_freeze:.2f} s")
    print(f"openpyxl write-only baseline:            {t_base:.2f} s ({s_base / 1e6:.2f} MB)")
    print(f"juara writer alone, same rows:           {t_writer:.2f} s "
          f"({t_writer / t_base:.2f}x)")
    print(f"juara export, database to workbook:      {t_ours:.2f} s ({s_ours / 1e6:.2f} MB)")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'SLOW'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
