"""Background jobs through Huey: SQLite storage in ``instance/`` by default, Redis when
``REDIS_URL`` is set, immediate (synchronous) mode in tests.

A job is a ``Job`` row (what users see: state, progress, result file) plus one Huey
task carrying its id. Handlers are registered by kind with ``@job_handler("kind")``.
Contract for handlers: read and compute first, reporting progress (each report commits
the session), then stage all writes and return — the writes are committed together
with the ``done`` state, and a failure rolls them back, so nothing is half-written.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey

from judging.extensions import db
from judging.models import Job
from judging.models.types import utcnow

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str):
    """Register the function that performs jobs of ``kind``."""

    def decorate(function: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not function:
            raise ValueError(f"job kind {kind!r} registered twice")
        HANDLERS[kind] = function
        return function

    return decorate


class Progress:
    """Reports how far a job got; each report is committed so browsers see it."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message
        db.session.commit()


def init_app(app: Flask) -> None:
    """Create this app's Huey instance and its single task, ``run_job(job_id)``."""
    if app.config.get("JOBS_IMMEDIATE"):
        huey = MemoryHuey("juara", immediate=True)
    elif app.config.get("REDIS_URL"):
        huey = RedisHuey("juara", url=app.config["REDIS_URL"])
    else:
        huey = SqliteHuey("juara", filename=str(Path(app.instance_path) / "jobs.db"))

    @huey.task(name="juara.run_job")
    def run_job(job_id: str) -> None:
        if has_app_context() and current_app._get_current_object() is app:
            execute(job_id)  # immediate mode: run in the caller's context and session
            return
        with app.app_context():
            execute(job_id)

    app.extensions["huey"] = huey
    app.extensions["huey_run_job"] = run_job


def enqueue(kind: str, *, params: dict, competition_id: int | None, user_id: int | None) -> Job:
    """Record a job, commit it, and hand it to the queue (immediately run in tests)."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job_id = str(uuid.uuid4())
    job = Job(id=job_id, kind=kind, params=params, competition_id=competition_id,
              created_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    current_app.extensions["huey_run_job"](job_id)
    db.session.expire_all()
    return db.session.get(Job, job_id)


def execute(job_id: str) -> None:
    """Run one job to a clear end state: done with its result, or failed with the reason."""
    job = db.session.get(Job, job_id)
    if job is None or job.state in ("done", "failed"):
        return
    handler = HANDLERS.get(job.kind)
    job.state = "running"
    db.session.commit()
    try:
        if handler is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        handler(job, Progress(job))
        job.state = "done"
        job.done = job.total = max(job.total, job.done)
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as error:  # the job fails; the app and the worker keep running
        db.session.rollback()
        log.error("Job %s (%s) failed:\n%s", job_id, job.kind, traceback.format_exc())
        failed = db.session.get(Job, job_id)
        failed.state = "failed"
        failed.message = job_failure_message(error)
        failed.finished_at = utcnow()
        db.session.commit()


def job_failure_message(error: Exception) -> str:
    """What the user sees: the handler's own message when it raised a JobFailed."""
    if isinstance(error, JobFailed):
        return str(error)
    return ("Terjadi kesalahan saat memproses tugas ini; tidak ada hasil yang disimpan. / "
            "This job ran into an error; no results were saved. "
            f"({type(error).__name__})")


class JobFailed(Exception):
    """Raise from a handler with a message fit for the user (Indonesian / English)."""
