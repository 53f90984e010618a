"""Background jobs: clear end states, progress, no half-written results."""

import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from judging.extensions import db
from judging.jobs import HANDLERS, JobFailed, enqueue, job_handler
from judging.models import Job, ModerationNote


@pytest.fixture
def kinds():
    """Register throw-away job kinds for one test."""
    added = []

    def register(kind, function):
        job_handler(kind)(function)
        added.append(kind)

    yield register
    for kind in added:
        HANDLERS.pop(kind, None)


def test_job_runs_to_done_with_progress(app, make, kinds):
    comp = make.competition()
    category = make.category(comp)
    seen = []

    def count(job, progress):
        for i in range(1, 4):
            progress(i, 3, f"{i}/3")
            seen.append(db.session.get(Job, job.id).percent)
        db.session.add(ModerationNote(category_id=job.params["category"], text="selesai"))

    kinds("test.count", count)
    job = enqueue("test.count", params={"category": category.id}, competition_id=comp.id,
                  user_id=None)
    assert job.state == "done" and job.percent == 100
    assert seen == [33, 66, 100]
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == 1


def test_failed_job_keeps_nothing_it_staged(app, make, kinds):
    comp = make.competition()
    category = make.category(comp)

    def explode(job, progress):
        progress(1, 2)
        db.session.add(ModerationNote(category_id=category.id, text="setengah"))
        db.session.flush()
        raise JobFailed("Gagal membuat berkas: data tidak lengkap.")

    kinds("test.explode", explode)
    job = enqueue("test.explode", params={}, competition_id=comp.id, user_id=None)
    assert job.state == "failed"
    assert job.message == "Gagal membuat berkas: data tidak lengkap."
    assert job.done == 1  # progress reported before the failure is kept
    assert db.session.scalar(select(func.count()).select_from(ModerationNote)) == 0


def test_unexpected_error_gives_a_plain_message(app, make, kinds):
    def crash(job, progress):
        raise ZeroDivisionError("boom")

    kinds("test.crash", crash)
    job = enqueue("test.crash", params={}, competition_id=None, user_id=None)
    assert job.state == "failed"
    assert "tidak ada hasil yang disimpan" in job.message


def test_progress_page_and_status_are_for_organizers_only(app, web, make, kinds):
    comp = make.competition()
    organizer = make.organizer(comp)
    other_comp = make.competition()
    stranger = make.organizer(other_comp)
    kinds("test.noop", lambda job, progress: None)
    job = enqueue("test.noop", params={"title": "Uji"}, competition_id=comp.id, user_id=None)
    make.commit()
    web.login(stranger.email)
    assert web.get(f"/organizer/jobs/{job.id}").status_code == 403
    web.logout()
    web.login(organizer.email)
    page = web.get(f"/organizer/jobs/{job.id}")
    assert page.status_code == 200 and 'id="job-progress"' in page.get_data(as_text=True)
    assert web.get(f"/organizer/jobs/{job.id}/status").json["percent"] == 100


def test_a_real_worker_process_runs_queued_jobs(tmp_path, database_url):
    """Outside immediate mode a job waits in the queue until `flask jobs worker` takes it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the embedded SQLite queue is what this test exercises")
    env = {
        "JUDGING_INSTANCE_PATH": str(tmp_path / "inst"),
        "JUDGING_DATABASE_URL": database_url,
        "JUDGING_SECRET_KEY": "x",
        "JUDGING_BASE_URL": "http://127.0.0.1:5000",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "from judging import create_app\n"
        "from judging.jobs import enqueue\n"
        "app = create_app({'AUTO_UPGRADE': False})\n"
        "with app.app_context():\n"
        "    job = enqueue('jobs.selftest', params={}, competition_id=None, user_id=None)\n"
        "    print(job.id, job.state)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    job_id, state = out
    assert state == "queued"
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "judging", "jobs", "worker", "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import sqlite3

        path = database_url.removeprefix("sqlite:///")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = sqlite3.connect(path).execute(
                "SELECT state, done, total FROM jobs WHERE id=?", (job_id,)).fetchone()
            if row[0] in ("done", "failed"):
                break
            time.sleep(0.3)
        assert row == ("done", 1, 1)
    finally:
        worker.terminate()
        worker.wait(20)
