"""Entering ``final`` as a background job: freezing a province-wide category (5,000 entries)
takes longer than a request should, so the organizer watches a progress bar instead.

The job takes the whole step (readiness, phase, frozen results, audit) and commits it at
once with its ``done`` state; a refusal or a failure leaves the competition where it was.
"""

from __future__ import annotations

from sqlalchemy import select

from judging.competitions.transitions import change_phase
from judging.extensions import db
from judging.jobs import JobFailed, enqueue, job_handler
from judging.models import Competition, Job
from judging.phases import FINAL_JOB as KIND
from judging.refusals import Refused
from judging.results.inputs import inputs_fingerprint

ATTEMPTS = 3
MOVING = ("Nilai atau data monev terus berubah selama pembekuan; tidak ada yang disimpan. "
          "Jalankan lagi.",
          "Marks or monev data kept changing while the results were frozen; nothing was "
          "saved. Run it again.")


def start_final(competition: Competition, *, reason: str, user_id: int | None, title: str,
                back_url: str, override: str = "") -> Job:
    """Queue the step to ``final`` (or return the one already queued or running)."""
    waiting = db.session.scalar(
        select(Job).where(Job.kind == KIND, Job.competition_id == competition.id,
                          Job.state.in_(("queued", "running"))))
    if waiting is not None:
        return waiting
    return enqueue(KIND, params={"competition_id": competition.id, "reason": reason,
                                 "override": override, "title": title, "back_url": back_url},
                   competition_id=competition.id, user_id=user_id)


@job_handler(KIND)
def enter_final(job, progress) -> None:
    """Check readiness, freeze every category (progress per category) and move to final."""
    competition = db.session.get(Competition, job.params.get("competition_id") or 0)
    if competition is None:
        raise JobFailed("Kompetisi tidak ditemukan. / The competition was not found.")
    if competition.phase == "final":
        return
    for _attempt in range(ATTEMPTS):
        check = _freeze_once(job, competition, progress)
        if check is not None:
            break
        db.session.rollback()  # a mark or value moved while it was read: freeze it again
        competition = db.session.get(Competition, competition.id)
    else:
        raise JobFailed(_both(*MOVING, ()))
    steps = max(job.total, 1)
    progress(steps, steps,
             _both("Tahap sekarang: final.", "The phase is now final.", check.warnings))


def _freeze_once(job, competition: Competition, progress):
    """One try at the step: None when the inputs changed between reading and storing them.

    Marks, monev and conflicts are closed while this job waits or runs
    (``phases.finalising``); the fingerprint catches a write that was already in flight.
    """
    before = inputs_fingerprint(competition)
    try:
        check = change_phase(competition, "final", reason=job.params.get("reason", ""),
                             override=job.params.get("override", ""), progress=progress,
                             actor_id=job.created_by_id)
    except Refused as refusal:
        raise JobFailed(_both(refusal.message_id, refusal.message_en, refusal.problems)
                        ) from refusal
    except ValueError as problem:  # a category that cannot be ranked
        raise JobFailed(f"Tahap tidak diubah / The phase did not change: {problem}") from problem
    # This read flushes the staged phase and results first, so under SQLite it runs holding
    # the write lock: nothing can change between it and the commit.
    return check if inputs_fingerprint(competition) == before else None


def _both(message_id: str, message_en: str, notices) -> str:
    """A job message in both languages: the worker does not know the reader's language."""
    text_id = " ".join([message_id, *(n.message_id for n in notices)])
    text_en = " ".join([message_en, *(n.message_en for n in notices)])
    return f"{text_id} / {text_en}"
