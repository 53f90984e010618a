"""Monev import speed as the organizer waits for it, beside a bare python-calamine read.

Generates a 100,000-row workbook for the built-in complaint-handling method (5
indicators, openpyxl write-only, in a temporary folder) that looks like a real office's:
title rows, a "No" column, a few numbers written as Indonesian text, empty optional
cells, some bad rows, a remarks column and a totals row. Enrols 100,000 entrants in a
category of a throwaway SQLite database, then times, best of ``--repeat``:

* plain: ``CalamineWorkbook.from_filelike(...)``, every cell of every row;
* preview: the whole user-visible path, file in → preview ready, as the upload page and
  its background job run it: the upload's safety check and row estimate, ``build_batch``
  (header and mapping, matching, parsing, checks, the batch summary and the old → new
  changes stored in pages) and the database commit of the batch;
* page: the web preview page of that batch (first page, then a middle one);
* commit: ``commit_batch`` of all 500,000 values in a fresh process, with its peak RSS.

Prints ``ratio=`` preview/plain (target ≤ 2), the page time (target < 1 s), the commit time
(target ≤ 10 s) and its peak RSS (target < 500 MB; VmHWM, Linux), all in one run.

    .venv/bin/python bench/import_monev.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import python_calamine  # noqa: E402

HEADER = ["No", "Kode", "Nama Kelurahan", "Laporan Masuk", "Ditindaklanjuti", "Selesai",
          "Selesai Tepat Waktu", "Rata-rata Hari Respons", "Keterangan"]
PASSWORD = "correct horse battery"


def entrants(rows: int) -> list[tuple[str, str]]:
    return [(f"KEL-{i:06d}", f"Kelurahan Nomor {i}") for i in range(rows)]


def generate(path: Path, rows: int) -> None:
    """Write the workbook with openpyxl write-only, as a large office export would be."""
    rng = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Rekap Monev")
    sheet.append(["REKAP MONEV SP4N-LAPOR! 2026"])
    sheet.append(["Sumber: Dinas Kominfo"])
    sheet.append([])
    sheet.append(HEADER)
    for n, (code, name) in enumerate(entrants(rows), start=1):
        received = rng.randint(0, 5000)
        followed = rng.randint(0, received)
        done = rng.randint(0, followed)
        on_time = rng.randint(0, done)
        days = round(rng.uniform(0.5, 10), 2) if n % 10 else None
        row = [n, code, name, received, followed, done, on_time, days, None]
        if n % 100 == 0:
            row[3] = f"{received:,}".replace(",", ".")  # typed as Indonesian text
            row[7] = f"{days}".replace(".", ",") if days else None
        if n % 5000 == 0:
            row[5] = received + 1  # a row the method's cross-column rule rejects
        sheet.append(row)
    sheet.append(["", "JUMLAH"])
    book.save(path)


def plain_read(data: bytes) -> int:
    """Every cell of every row of the first sheet, as python-calamine gives them."""
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sum(len(row) for row in sheet.iter_rows())


def make_app(folder: Path):
    from judging import create_app

    os.environ["JUDGING_INSTANCE_PATH"] = str(folder / "instance")
    return create_app({
        "TESTING": True, "SECRET_KEY": "bench", "AUTO_UPGRADE": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "RATELIMIT_ENABLED": False, "JOBS_IMMEDIATE": True, "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(folder / "uploads"), "IMPORT_MAX_ROWS": 200_000,
    })


def enrol(rows: int) -> int:
    """A category with ``rows`` enrolled entrants and its organizer; returns the category id."""
    from judging.extensions import db
    from judging.models import Entrant, Entry
    from tests.fixtures.factories import Factory

    make = Factory()
    organisation = make.organisation()
    competition = make.competition(organisation, phase="judging", code="BENCH")
    category = make.category(competition, method_key="complaint_handling", code="LAPOR",
                             level="kelurahan")
    make.organizer(competition, email="org@bench.test")
    db.session.execute(Entrant.__table__.insert(), [
        {"organisation_id": organisation.id, "code": code, "name": name, "level": "kelurahan",
         "region": ""} for code, name in entrants(rows)])
    ids = db.session.execute(Entrant.__table__.select().with_only_columns(
        Entrant.__table__.c.id)).scalars().all()
    db.session.execute(Entry.__table__.insert(), [
        {"category_id": category.id, "entrant_id": entrant_id, "code": f"L{i}",
         "status": "submitted", "description": "", "fields": {}, "social_links": []}
        for i, entrant_id in enumerate(ids)])
    db.session.commit()
    return category.id


def preview_once(category_id: int, data: bytes) -> int:
    """File in → preview ready, as the upload page runs it: the safety check and row estimate
    of the upload, the batch read (summary and changes stored in pages), committed."""
    from judging.extensions import db
    from judging.models import Category
    from judging.monev.previews import build_batch, check_upload
    from judging.monev.sizing import estimated_rows

    facts = check_upload(data)
    estimated_rows(data)
    batch = build_batch(db.session.get(Category, category_id), data, filename="monev.xlsx",
                        user_id=None, facts=facts)
    db.session.commit()
    return batch.id


def drop_batch(batch_id: int) -> None:
    from judging.extensions import db
    from judging.models import ImportBatch, ImportBatchPage

    db.session.execute(ImportBatchPage.__table__.delete().where(
        ImportBatchPage.__table__.c.batch_id == batch_id))
    db.session.execute(ImportBatch.__table__.delete().where(ImportBatch.__table__.c.id == batch_id))
    db.session.commit()


def best_of(repeat: int, func) -> tuple[float, float]:
    """Best (wall seconds, CPU seconds) of ``repeat`` runs: the machine may be shared."""
    times = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(t[0] for t in times), min(t[1] for t in times)


def page_time(app, category_id: int, batch_id: int) -> tuple[float, float]:
    """Seconds to render the first and a middle page of the batch's preview."""
    client = app.test_client()
    client.post("/auth/login", data={"email": "org@bench.test", "password": PASSWORD})
    url = f"/organizer/categories/{category_id}/monev/batches/{batch_id}"
    found = []
    for query in ("", "?page=250"):
        start = time.perf_counter()
        response = client.get(url + query)
        found.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return found[0], found[1]


def child_commit(folder: str, category_id: int, batch_id: int) -> None:
    """Commit the batch in this fresh process; print seconds and peak RSS in kB."""
    app = make_app(Path(folder))
    with app.app_context():
        from judging.extensions import db
        from judging.monev.batches import commit_batch

        start, cpu = time.perf_counter(), time.process_time()
        commit_batch(batch_id, category_id=category_id, skip_invalid=True, actor_id=None)
        db.session.commit()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    status = Path("/proc/self/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    print(f"{seconds:.3f} {cpu:.3f} {peak}")


def commit_in_child(folder: Path, category_id: int, batch_id: int
                    ) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), str(category_id), str(batch_id)],
        check=True, capture_output=True, text=True,
    )
    seconds, cpu, peak_kb = out.stdout.split()[-3:]
    return float(seconds), float(cpu), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "CATEGORY", "BATCH"))
    args = parser.parse_args()
    if args.child:
        child_commit(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "monev.xlsx"
        start = time.perf_counter()
        generate(path, args.rows)
        data = path.read_bytes()
        print(f"workbook: {args.rows:,} rows × 5 indicators, {len(data) / 1e6:.1f} MB, "
              f"written in {time.perf_counter() - start:.1f} s")
        app = make_app(folder)
        with app.app_context():
            from judging.extensions import db

            db.create_all()
            category_id = enrol(args.rows)
            plain = best_of(args.repeat, lambda: plain_read(data))
            batch_ids = []
            full = best_of(args.repeat, lambda: batch_ids.append(preview_once(category_id, data)))
            for batch_id in batch_ids[:-1]:
                drop_batch(batch_id)
            from judging.models import ImportBatch

            batch = db.session.get(ImportBatch, batch_ids[-1])
            print(f"preview: {batch.rows_valid:,} valid rows, {batch.rows_rejected} rejected, "
                  f"{batch.summary['new_values']:,} new values")
            first, middle = page_time(app, category_id, batch.id)
            db.session.remove()
        seconds, cpu, peak = commit_in_child(folder, category_id, batch_ids[-1])
        (plain, plain_cpu), (full, full_cpu) = plain, full
        print(f"load average        : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"plain calamine read : {plain:6.2f} s wall, {plain_cpu:.2f} s CPU")
        print(f"whole preview       : {full:6.2f} s wall, {full_cpu:.2f} s CPU "
              "(file in → preview ready, changes stored)")
        print(f"ratio={full / plain:.2f} (target ≤ 2; by CPU time {full_cpu / plain_cpu:.2f})")
        print(f"preview page        : {first:6.2f} s first, {middle:.2f} s middle (target < 1)")
        print(f"commit={seconds:.2f} s wall, {cpu:.2f} s CPU for {args.rows:,} × 5 "
              "(target ≤ 10)")
        print(f"commit peak RSS={peak:.0f} MB (target < 500)")


if __name__ == "__main__":
    main()
