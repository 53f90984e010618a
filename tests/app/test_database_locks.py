"""SQLite locking: reads never hold the write lock; jobs end clearly when it is held or their
worker dies."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from judging.extensions import db
from judging.jobs import (
    BUSY_MESSAGE,
    HANDLERS,
    STALE_MESSAGE,
    enqueue,
    job_handler,
    restart,
    sweep_stale,
)
from judging.models import Job, ModerationNote

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="SQLite's write lock")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_config(tmp_path, database_url):
    from tests.conftest import base_config

    return {**base_config(tmp_path, database_url), "SQLITE_BUSY_TIMEOUT": 0.3,
            "JOB_RECORD_PATIENCE": 30, "JOB_STALE_SECONDS": 1, "JOB_HEARTBEAT_SECONDS": 0.2}


@pytest.fixture
def kinds():
    added = []

    def register(kind, function):
        job_handler(kind)(function)
        added.append(kind)

    yield register
    for kind in added:
        HANDLERS.pop(kind, None)


def db_path() -> str:
    return db.engine.url.database


WRITER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], timeout=5, isolation_level=None)
start = time.perf_counter()
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO moderation_notes (category_id, text, created_at) "
                   "VALUES (?, 'dari proses lain', '2026-01-01 00:00:00')", (int(sys.argv[2]),))
connection.execute("COMMIT")
print(time.perf_counter() - start)
"""


def test_a_long_read_outside_requests_does_not_delay_a_writer(app, make):
    category = make.category(make.competition())
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(ModerationNote))  # read opens
    assert db.session().in_transaction()
    writer = subprocess.run([sys.executable, "-c", WRITER, db_path(), str(category.id)],
                            capture_output=True, text=True, timeout=60)
    assert writer.returncode == 0, writer.stderr
    assert float(writer.stdout) < 0.1  # seconds the other process waited to write
    # The read transaction is still the same one: it still sees its first snapshot.
    assert db.session().in_transaction()
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == before
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == before + 1


def test_a_job_whose_final_write_meets_a_held_lock_ends_failed_once_it_is_gone(app, make,
                                                                              kinds):
    category = make.category(make.competition())
    db.session.commit()
    released = []

    def write_late(job, progress):
        progress(1, 1, "dibaca")
        holder = sqlite3.connect(db_path(), isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process's long write

        def release():
            released.append(time.monotonic())
            holder.execute("ROLLBACK")
            holder.close()

        threading.Timer(1.5, release).start()
        db.session.add(ModerationNote(category_id=category.id, text="tidak jadi"))

    kinds("test.write_late", write_late)
    job = enqueue("test.write_late", params={}, competition_id=None, user_id=None)
    assert released, "the failure was recorded while the lock was still held"
    assert job.state == "failed" and job.message == BUSY_MESSAGE
    assert job.finished_at is not None
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == 0


WORKER = """
import sys, time
from tests.conftest import base_config
from judging import create_app
from judging.jobs import execute, job_handler

@job_handler("test.slow_batch")
def slow_batch(job, progress):
    for done in range(1, 101):
        progress(done, 100)
        time.sleep(1.5)  # longer than the stale limit: only the heartbeat keeps it alive

config = {**base_config(__import__("pathlib").Path(sys.argv[3]), sys.argv[1]),
          "JOBS_IMMEDIATE": False, "JOB_HEARTBEAT_SECONDS": 0.2, "JOB_STALE_SECONDS": 1}
app = create_app(config)
with app.app_context():
    execute(sys.argv[2])
"""


def job_state(job_id):
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT state, done FROM jobs WHERE id = :id"),
                                  {"id": job_id}).one()


def test_a_worker_killed_mid_batch_leaves_a_failed_job_that_runs_again(app, kinds, tmp_path):
    job = Job(id="0" * 8 + "-kill-test", kind="test.slow_batch", params={})
    db.session.add(job)
    db.session.commit()
    env = {**os.environ, "JUDGING_INSTANCE_PATH": str(tmp_path / "worker-instance")}
    worker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(WORKER),
                               str(db.engine.url), job.id, str(tmp_path)], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while job_state(job.id) != ("running", 2):
            assert worker.poll() is None, worker.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.2)  # past the stale limit, yet the heartbeat keeps the job alive
        assert sweep_stale() == 0 and job_state(job.id).state == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()
    time.sleep(1.3)
    assert sweep_stale() == 1
    db.session.expire_all()
    failed = db.session.get(Job, job.id)
    assert failed.state == "failed" and failed.message == STALE_MESSAGE and failed.done == 2

    kinds("test.slow_batch", lambda job, progress: progress(100, 100))
    again = restart(failed)
    assert again.id == job.id and again.state == "done" and again.done == 100


def test_a_silent_job_shows_failed_on_its_page_and_the_organizer_runs_it_again(app, make,
                                                                              web, kinds):
    from datetime import timedelta

    from judging.models.types import utcnow

    comp = make.competition()
    organizer = make.organizer(comp)
    kinds("test.again", lambda job, progress: progress(3, 3, "ok"))
    job = Job(id="silent-job", kind="test.again", params={}, competition_id=comp.id,
              created_by_id=organizer.id, state="running", done=1, total=3,
              heartbeat_at=utcnow() - timedelta(seconds=5))
    db.session.add(job)
    make.commit()
    web.login(organizer.email)
    html = web.get("/organizer/jobs/silent-job").get_data(as_text=True)
    assert 'id="job-restart"' in html and "mati atau macet" in html
    response = web.post("/organizer/jobs/silent-job/restart")
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.get(Job, "silent-job")
    assert again.state == "done" and again.message == "ok"
