"""Background jobs through Huey: SQLite storage in ``instance/`` by default, Redis when
``REDIS_URL`` is set, immediate (synchronous) mode in tests.

A job is a ``Job`` row (what users see: state, progress, result file) plus one Huey
task carrying its id. Handlers are registered by kind with ``@job_handler("kind")``.
Contract for handlers: read and compute first, reporting progress, then stage all writes
and return — the writes are committed together with the ``done`` state, and a failure
rolls them back, so nothing is half-written. The job row's own changes (running, progress,
heartbeat, failure) go through short transactions of their own, retried while the database
is busy, so a busy database can delay them but never leave a job "running" for good.
Huey is built on first use (an enqueue, the worker), not at start-up: importing it
loads its storage drivers, half a second every CLI command and web worker would pay.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import exc, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from judging.extensions import db
from judging.models import Job
from judging.models.types import utcnow
from judging.sqlite_locks import holds_write_lock, see_newest

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], None]
HANDLERS: dict[str, Handler] = {}
PERIODIC: dict[str, tuple[int, Callable[[], None]]] = {}  # name → (every n minutes, function)
AFTER_JOB: list[Callable[[], None]] = []  # run once a job's outcome is committed
_QUEUE_LOCK = threading.Lock()

STALE_MESSAGE = ("Tugas berhenti karena prosesnya mati atau macet; tidak ada hasil yang "
                 "disimpan. Jalankan lagi. / The job stopped because its worker died or "
                 "stalled; no results were saved. Run it again.")
BUSY_MESSAGE = ("Basis data sedang sibuk (terkunci) terlalu lama; tidak ada hasil yang "
                "disimpan. Jalankan lagi. / The database stayed busy (locked) too long; "
                "no results were saved. Run it again.")


def job_handler(kind: str):
    """Register the function that performs jobs of ``kind``."""

    def decorate(function: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not function:
            raise ValueError(f"job kind {kind!r} registered twice")
        HANDLERS[kind] = function
        return function

    return decorate


def record(job_id: str, **values) -> None:
    """Write a job row's state in its own short transaction, retrying a busy database.

    Backs off from 50 ms to 2 s for up to ``JOB_RECORD_PATIENCE`` seconds, so a failure
    is still recorded after another process held the write lock for a long time.
    """
    patience = float(current_app.config.get("JOB_RECORD_PATIENCE", 300))
    deadline, pause = time.monotonic() + patience, 0.05
    while True:
        try:
            with db.engine.begin() as connection:
                connection.execute(update(Job).where(Job.id == job_id).values(**values))
            return
        except exc.OperationalError:
            if time.monotonic() + pause > deadline:
                raise
            log.warning("Job %s: database busy, retrying its state change", job_id)
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _record_in_session(job: Job, **values) -> None:
    """Record through the job's own transaction when the session holds the write lock."""
    if holds_write_lock(db.session()):
        for key, value in values.items():
            setattr(job, key, value)
        return
    record(job.id, **values)
    for key, value in values.items():
        set_committed_value(job, key, value)


def periodic(name: str, *, minutes: int):
    """Register a function the worker runs every ``minutes`` inside an app context."""

    def decorate(function: Callable[[], None]) -> Callable[[], None]:
        if name in PERIODIC and PERIODIC[name][1] is not function:
            raise ValueError(f"periodic task {name!r} registered twice")
        PERIODIC[name] = (minutes, function)
        return function

    return decorate


def after_each_job(function: Callable[[], None]) -> Callable[[], None]:
    """Register a function run after every job's outcome is committed (e.g. sending mail)."""
    if function not in AFTER_JOB:
        AFTER_JOB.append(function)
    return function


class Progress:
    """Reports how far a job got; each report is stored at once so browsers see it."""

    def __init__(self, job: Job):
        self.job = job
        self.reported_at = time.monotonic()

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        values = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        self.reported_at = time.monotonic()
        _record_in_session(self.job, **values)


class Heartbeat(threading.Thread):
    """Beats for a running job while its handler reports progress; silence means dead."""

    def __init__(self, app: Flask, job_id: str, progress: Progress):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.app, self.job_id, self.progress = app, job_id, progress
        self.stopped = threading.Event()

    def run(self) -> None:
        every = float(self.app.config["JOB_HEARTBEAT_SECONDS"])
        stall = float(self.app.config["JOB_STALL_SECONDS"])
        with self.app.app_context():
            while not self.stopped.wait(every):
                if time.monotonic() - self.progress.reported_at > stall:
                    return  # a stalled handler: let the sweep fail the job
                try:
                    record(self.job_id, heartbeat_at=utcnow())
                except Exception:  # a missed beat is retried on the next one
                    log.exception("Job %s: heartbeat not recorded", self.job_id)
                finally:
                    db.session.remove()


@periodic("sweep_jobs", minutes=1)
def sweep_stale(now=None) -> int:
    """Mark failed every running job whose heartbeat went silent; returns how many."""
    now = now or utcnow()
    limit = now - timedelta(seconds=float(current_app.config["JOB_STALE_SECONDS"]))
    beat = Job.heartbeat_at
    silent = (Job.state == "running") & or_(beat < limit, beat.is_(None) & (Job.created_at < limit))
    with db.engine.connect() as connection:
        ids = list(connection.scalars(select(Job.id).where(silent)))
    for job_id in ids:
        log.error("Job %s: no heartbeat since %s; marked failed", job_id, limit)
        record(job_id, state="failed", message=STALE_MESSAGE, finished_at=now)
    if ids and not holds_write_lock(db.session()):
        see_newest(db.session())
    return len(ids)


def queue(app: Flask):
    """This app's Huey instance: the task ``run_job(job_id)`` and the periodic ones."""
    if "huey" not in app.extensions:
        with _QUEUE_LOCK:  # two request threads must not build two queues
            if "huey" not in app.extensions:
                _make_queue(app)
    return app.extensions["huey"]


def _make_queue(app: Flask) -> None:
    """Create the Huey instance, its task ``run_job(job_id)`` and the minute sweep."""
    from huey import MemoryHuey, RedisHuey, SqliteHuey

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

    for name, (minutes, function) in PERIODIC.items():
        _schedule(huey, app, name, minutes, function)
    app.extensions["huey_run_job"] = run_job
    app.extensions["huey"] = huey


def _schedule(huey, app: Flask, name: str, minutes: int, function: Callable[[], None]) -> None:
    """One periodic Huey task (run by a worker started with ``periodic=True``)."""
    from huey import crontab

    @huey.periodic_task(crontab(minute=f"*/{minutes}"), name=f"juara.{name}")
    def run_periodic() -> None:
        with app.app_context():
            function()


def enqueue(kind: str, *, params: dict, competition_id: int | None, user_id: int | None) -> Job:
    """Record a job, commit it, and hand it to the queue (immediately run in tests)."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job_id = str(uuid.uuid4())
    job = Job(id=job_id, kind=kind, params=params, competition_id=competition_id,
              created_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    return _dispatch(job_id)


def restart(job: Job) -> Job:
    """Queue a failed job again from the start (its earlier run kept nothing)."""
    if job.state != "failed":
        raise ValueError(f"job {job.id} is {job.state}, not failed")
    job.state, job.done, job.message = "queued", 0, ""
    job.finished_at = job.heartbeat_at = None
    db.session.commit()
    return _dispatch(job.id)


def _dispatch(job_id: str) -> Job:
    app = current_app._get_current_object()
    queue(app)
    app.extensions["huey_run_job"](job_id)
    db.session.expire_all()
    return db.session.get(Job, job_id)


def execute(job_id: str) -> None:
    """Run one job to a clear end state: done with its result, or failed with the reason."""
    job = db.session.get(Job, job_id)
    if job is None or job.state in ("done", "failed"):
        return
    db.session.commit()  # end the read, so the job's own writes below are seen
    progress = Progress(job)
    _record_in_session(job, state="running", heartbeat_at=utcnow())
    heartbeat = _start_heartbeat(job_id, progress)
    try:
        handler = HANDLERS.get(job.kind)
        if handler is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        handler(job, progress)
        job.state = "done"
        job.done = job.total = max(job.total, job.done)
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as error:  # the job fails; the app and the worker keep running
        db.session.rollback()
        log.error("Job %s (%s) failed:\n%s", job_id, job.kind, traceback.format_exc())
        record(job_id, state="failed", message=job_failure_message(error),
               finished_at=utcnow())
        db.session.rollback()  # a later read must not keep the snapshot before the record
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
    _after_job()


def _start_heartbeat(job_id: str, progress: Progress) -> Heartbeat | None:
    app = current_app._get_current_object()
    if app.config.get("JOBS_IMMEDIATE"):
        return None  # runs inside the caller's request or command: no worker to lose
    beat = Heartbeat(app, job_id, progress)
    beat.start()
    return beat


def _after_job() -> None:
    for function in AFTER_JOB:
        try:
            function()
        except Exception:  # the job's outcome stands; the follow-up is logged
            log.exception("After-job step %s failed", function.__name__)


def job_failure_message(error: Exception) -> str:
    """What the user sees: the handler's own message when it raised a JobFailed."""
    if isinstance(error, JobFailed):
        return str(error)
    if isinstance(error, exc.OperationalError) and "locked" in str(error).lower():
        return BUSY_MESSAGE
    return ("Terjadi kesalahan saat memproses tugas ini; tidak ada hasil yang disimpan. / "
            "This job ran into an error; no results were saved. "
            f"({type(error).__name__})")


class JobFailed(Exception):
    """Raise from a handler with a message fit for the user (Indonesian / English)."""
