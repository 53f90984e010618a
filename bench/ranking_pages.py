"""Ranking pages at province scale: 5,000 entries × 7 jurors × 10 criteria in one category.

Times, in one run and beside the ranking engine alone on the same inputs: the organizer's
ranking page (first screen), the JSON API (first page, with the total count) and the CLI
``ranking`` command (first page; ``--all`` shown for reference), each live and frozen, plus
the step to final (the job that freezes the category). A live ranking is kept per process
until an input changes and leaves its inputs on disk for other processes, so each live path
is also shown as the first request in a fresh process (nothing kept in memory: it starts
from the inputs on disk), as the first request after a juror saved a sheet (the kept
ranking is brought up to date by reading only the marks written since), and as the first
request in a fresh process after a save (what a CLI run after a juror's save costs). Each
prints its ``ratio=`` over the engine, and the run ends with the load average it ran under.
Targets: page < 1 s and < 500 KB; API and CLI within 3× the engine live and faster frozen;
freeze ≤ 2 s or a job.

Run: .venv/bin/python bench/ranking_pages.py
"""

from __future__ import annotations

import os
import random
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ENTRIES = int(os.environ.get("BENCH_ENTRIES", 5_000))
JURORS, CRITERIA, REPEATS = 7, 10, 3
PASSWORD = "bench password 2025"


def build_world(app) -> tuple[int, int, str]:
    """A judging-phase complaint-handling category, every sheet submitted.

    Returns (competition id, category id, organizer e-mail)."""
    from judging.competitions.categories import create_category
    from judging.extensions import db
    from judging.models import Competition, Organisation, RoleGrant, User

    rng = random.Random(2025)
    org = Organisation(name="Diskominfo Jawa Barat", code="JABAR")
    db.session.add(org)
    db.session.flush()
    comp = Competition(organisation_id=org.id, name="Penghargaan Desa", year=2026, code="DESA",
                       phase="judging")
    db.session.add(comp)
    db.session.flush()
    category = create_category(comp, name="Desa", code="DS", method_key="complaint_handling",
                               level="desa")
    db.session.flush()
    organizer = User(email="organizer@bench.test", name="Organizer")
    organizer.set_password(PASSWORD)
    db.session.add(organizer)
    db.session.flush()
    db.session.add(RoleGrant(user_id=organizer.id, role="organizer", competition_id=comp.id))
    db.session.commit()

    raw = db.session.connection().connection.driver_connection
    raw.execute("DELETE FROM criteria WHERE category_id = ?", (category.id,))
    raw.executemany(
        "INSERT INTO criteria (category_id, key, label, guidance, weight, max_mark, position) "
        "VALUES (?, ?, ?, '', ?, 1000, ?)",
        [(category.id, f"k{c}", f"Kriteria {c}", rng.randint(1, 5) * 100, c)
         for c in range(CRITERIA)])
    now = "2026-01-01 00:00:00.000000"
    raw.executemany(
        "INSERT INTO users (email, name, is_admin, disabled, created_at) "
        "VALUES (?, ?, 0, 0, ?)",
        [(f"juri{j}@bench.test", f"Juri Bench {j}", now) for j in range(JURORS)])
    raw.executemany(
        "INSERT INTO entrants (organisation_id, code, name, level, region, created_at) "
        "VALUES (?, ?, ?, 'desa', '', ?)",
        [(org.id, f"D{i:05d}", f"Desa {i:05d}", now) for i in range(ENTRIES)])
    raw.execute(
        "INSERT INTO entries (category_id, entrant_id, code, status, description, fields, "
        "social_links, submitted_at, created_at, updated_at) "
        "SELECT ?, id, 'DS-' || code, 'submitted', '', '{}', '[]', ?, ?, ? FROM entrants "
        "WHERE organisation_id = ?", (category.id, now, now, now, org.id))
    db.session.commit()
    entries = [r[0] for r in raw.execute("SELECT id FROM entries WHERE category_id = ?",
                                         (category.id,))]
    jurors = [r[0] for r in raw.execute("SELECT id FROM users WHERE email LIKE 'juri%'")]
    criteria = [r[0] for r in raw.execute("SELECT id FROM criteria WHERE category_id = ?",
                                          (category.id,))]
    values = []
    for e in entries:
        masuk = rng.randint(1, 500)
        tl = int(masuk * rng.uniform(0.5, 1))
        done = int(tl * rng.uniform(0.5, 1))
        values += [(e, "laporan_masuk", masuk), (e, "ditindaklanjuti", tl), (e, "selesai", done),
                   (e, "selesai_tepat_waktu", int(done * rng.uniform(0.3, 1))),
                   (e, "rata_hari_respons", round(rng.uniform(0, 8), 1))]
    raw.executemany("INSERT INTO indicator_values (entry_id, indicator_key, value, updated_at) "
                    f"VALUES (?, ?, ? * 10000, '{now}')", values)
    raw.executemany("INSERT INTO scoresheets (juror_id, entry_id, status, overall_comment, "
                    f"submitted_at, revisit_note, version, updated_at) VALUES (?, ?, 'submitted', "
                    f"'', '{now}', '', 1, '{now}')", [(j, e) for j in jurors for e in entries])
    raw.executemany("INSERT INTO marks (juror_id, entry_id, criterion_id, value, comment, version, "
                    f"updated_at) VALUES (?, ?, ?, ?, '', 1, '{now}')",
                    [(j, e, c, rng.randint(0, 20) * 50) for j in jurors for e in entries
                     for c in criteria])
    raw.execute("UPDATE marks SET updated_at = strftime('%Y-%m-%d %H:%M:%S', ?, "
                "'+' || (id / ?) || ' seconds') || '.000000'", (now, CRITERIA))  # a sheet a second
    db.session.commit()
    return comp.id, category.id, organizer.email


CPU = {}  # label -> best process CPU seconds: steadier than wall time on a shared machine


def best_of(fn, repeats: int = REPEATS, before=None) -> tuple[float, object]:
    times, cpu, result = [], [], None
    for _ in range(repeats):
        if before is not None:  # not timed
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU["last"] = min(cpu)
    return min(times), result


def mark_objects(columns) -> list:
    """The marks as ``JurorMark`` objects, as ``bench/ranking.py`` hands them to the engine."""
    from judging.scoring.types import JurorMark

    keys = columns.criterion_keys
    return [JurorMark(j, e, keys[c], v) for j, e, c, v in zip(
        columns.juror_id.tolist(), columns.entry_id.tolist(), columns.criterion.tolist(),
        columns.value.tolist(), strict=True)]


def login(client) -> None:
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    client.post("/auth/login", data={"email": "organizer@bench.test", "password": PASSWORD,
                                     "csrf_token": token})


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="juara-bench-"))
    os.environ["JUDGING_INSTANCE_PATH"] = str(folder / "instance")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from flask_migrate import upgrade

    from judging import create_app
    from judging.database import MIGRATIONS, bind_migrate
    from judging.extensions import db
    from judging.models import Category, Competition
    from judging.results.inputs import category_inputs
    from judging.scoring.ranking import rank_category

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "BASE_URL": "http://localhost",
                      "AUTO_UPGRADE": False, "RATELIMIT_ENABLED": False,
                      "JOBS_IMMEDIATE": True, "WTF_CSRF_ENABLED": True})
    bind_migrate(app)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        start = time.perf_counter()
        comp_id, cat_id, _email = build_world(app)
        print(f"world: {ENTRIES:,} entries × {JURORS} jurors × {CRITERIA} criteria "
              f"({ENTRIES * JURORS * CRITERIA:,} marks) in {time.perf_counter() - start:.1f} s")
        inputs = category_inputs(db.session.get(Category, cat_id))
        engine_s, _ = best_of(lambda: rank_category(inputs.method, inputs.settings, inputs.cohort,
                                                    inputs.criteria, inputs.marks,
                                                    inputs.conflicts))
        engine_cpu = CPU["last"]
        objects = mark_objects(inputs.marks)
        objects_s, _ = best_of(lambda: rank_category(inputs.method, inputs.settings,
                                                     inputs.cohort, inputs.criteria, objects,
                                                     inputs.conflicts))
        objects_cpu = CPU["last"]
        db.session.remove()
    client = app.test_client()
    with app.test_request_context():
        login(client)
    runner = app.test_cli_runner()

    print(f"best of {REPEATS}; ratio= is the wall time over the engine's in this run, "
          "cpu_ratio= the same for this process's CPU time")

    def measure(label, fn):
        seconds, size = best_of(fn)
        show(label, seconds, size)

    def show(label, seconds, size=None):
        extra = f"  {size / 1024:8.0f} KB" if size else ""
        cpu = CPU["last"]
        print(f"  {label:<34} {seconds * 1000:8.0f} ms  ratio={seconds / engine_s:6.2f}"
              f"  cpu {cpu * 1000:6.0f} ms cpu_ratio={cpu / engine_cpu:6.2f}{extra}", flush=True)

    CPU["last"] = engine_cpu
    show("engine alone (rank_category)", engine_s)
    CPU["last"] = objects_cpu
    show("  (engine on JurorMark objects)", objects_s)

    def page():
        response = client.get(f"/organizer/categories/{cat_id}/ranking")
        assert response.status_code == 200, response.status_code
        return len(response.get_data())

    def api():
        response = client.get(f"/api/categories/{cat_id}/ranking")
        assert response.status_code == 200 and response.json["count"] == ENTRIES
        return len(response.get_data())

    def cli(*extra):
        def run():
            result = runner.invoke(args=["ranking", str(cat_id), *extra])
            assert result.exit_code == 0, repr(result.exception) + result.output
            return len(result.output)
        return run

    def freeze():
        """The organizer's step to final, as the job the phase form starts (run in-process)."""
        from judging.competitions.final_job import start_final
        from judging.models import Job

        with app.app_context():
            db.session.execute(db.text("DELETE FROM results"))
            db.session.get(Competition, comp_id).phase = "moderation"
            db.session.commit()
            comp = db.session.get(Competition, comp_id)
            job = start_final(comp, reason="", user_id=None, title="bench", back_url="/")
            assert job.state == "done" and db.session.get(Job, job.id).done, job.message
            assert comp.phase == "final"
            db.session.remove()

    with app.app_context():
        db.session.get(Competition, comp_id).phase = "moderation"
        db.session.commit()
        db.session.remove()
    def cold(fn):
        """As the first request in a fresh process: no live ranking kept in memory."""
        def run():
            app.extensions.pop("juara.live_rankings", None)
            return fn()
        return run

    def save_a_sheet():
        """One juror re-marks one entry (each criterion a point up), as a save does."""
        from judging.models import Mark

        with app.app_context():
            entry = db.session.scalar(db.select(Mark.entry_id).order_by(Mark.id))
            for mark in db.session.scalars(db.select(Mark).where(Mark.entry_id == entry)
                                           .order_by(Mark.id).limit(CRITERIA)):
                mark.value += Decimal("0.5") if mark.value < 1 else Decimal("-0.5")
            db.session.commit()
            db.session.remove()

    for state in ("live", "frozen"):
        if state == "frozen":
            measure("freeze job (moderation → final)", freeze)
        else:
            for label, fn in (("page", page), ("JSON API", api), ("CLI", cli())):
                seconds, size = best_of(cold(fn), REPEATS)
                show(f"  ({label}, live, fresh process)", seconds, size)
                seconds, size = best_of(fn, REPEATS, before=save_a_sheet)
                show(f"  ({label}, live, first after a save)", seconds, size)
                seconds, size = best_of(cold(fn), REPEATS, before=save_a_sheet)
                show(f"  ({label}, fresh process after a save)", seconds, size)
        measure(f"organizer ranking page, {state}", page)
        measure(f"JSON API first page, {state}", api)
        measure(f"CLI ranking, first page, {state}", cli())
        seconds, size = best_of(cli("--all"), 1)
        show(f"  (CLI ranking --all, {state})", seconds, size)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
