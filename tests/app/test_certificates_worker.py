"""A certificate batch through a real `flask jobs worker` process (not immediate mode),
rendering with the default worker count (every core) from the worker's thread."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from judging.extensions import db
from tests.fixtures.worlds.certificates_world import build_world


def test_a_real_worker_issues_a_batch(app, make, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the embedded SQLite queue is what this test exercises")
    world = build_world(make)
    competition_id, organizer_id = world.comp.id, world.organizer.id
    db.session.remove()  # hold no lock on the database while the other processes write
    env = {
        "JUDGING_INSTANCE_PATH": str(tmp_path / "inst"),
        "JUDGING_DATABASE_URL": database_url,
        "JUDGING_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "JUDGING_SECRET_KEY": "x",
        "JUDGING_BASE_URL": "https://juara.example",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "from judging import create_app\n"
        "from judging.jobs import enqueue\n"
        "app = create_app({'AUTO_UPGRADE': False})\n"
        "with app.app_context():\n"
        f"    job = enqueue('certificates.generate', competition_id={competition_id},\n"
        f"                  user_id={organizer_id},\n"
        f"                  params={{'competition_id': {competition_id}, 'participation': True,\n"
        "                          'base_url': 'https://juara.example/'})\n"
        "    print(job.id, job.state)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    job_id, state = done.stdout.split()
    assert state == "queued"
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "judging", "jobs", "worker", "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    path = database_url.removeprefix("sqlite:///")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with sqlite3.connect(path) as connection:
                row = connection.execute("SELECT state, message FROM jobs WHERE id=?",
                                         (job_id,)).fetchone()
            if row[0] in ("done", "failed"):
                break
            time.sleep(0.3)
        assert row[0] == "done", row
    finally:
        worker.terminate()
        worker.wait(20)
    with sqlite3.connect(path) as connection:
        serials = [r[0] for r in connection.execute(
            "SELECT serial FROM certificates ORDER BY serial")]
        stored = connection.execute(
            "SELECT count(*) FROM certificates WHERE storage_key IS NOT NULL").fetchone()[0]
    # three winners, and a participation certificate only for the entry without an award
    assert serials == [f"IKP-2023/MS/{n:03d}" for n in range(1, 5)] and stored == 4
