"""Background job pages: progress bar, JSON status for polling, result download."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from judging.evidence import stored_file_response
from judging.extensions import db
from judging.i18n import label
from judging.jobs import restart, sweep_stale
from judging.models import Competition, Job
from judging.organizer.blueprint import bp
from judging.permissions import access, can_see_job, require


class RestartForm(FlaskForm):
    """A bare CSRF-protected form for the restart button."""


def load_job(job_id: str) -> Job:
    """The job, if this user may see it (its creator or an organizer of its competition).

    A running job whose worker went silent is failed first, so its page never waits forever.
    """
    sweep_stale()
    job = db.session.get(Job, job_id) or abort(404)
    competition = db.session.get(Competition, job.competition_id) if job.competition_id else None
    require(can_see_job(current_user, job, competition))
    return job


def job_status(job: Job) -> dict:
    """What the progress bar needs."""
    return {
        "id": job.id, "kind": job.kind, "state": job.state,
        "state_label": label("job_state", job.state), "done": job.done, "total": job.total,
        "percent": job.percent, "message": job.message,
        "download": bool(job.result_key) and job.state == "done",
    }


@bp.route("/jobs/<job_id>")
@access("organizer")
def job(job_id: str):
    """A job's progress page; leaving it does not stop the job."""
    return render_template("organizer/job.html", job=load_job(job_id), restart_form=RestartForm())


@bp.route("/jobs/<job_id>/restart", methods=["POST"])
@access("organizer")
def job_restart(job_id: str):
    """Run a failed job again from the start."""
    job = load_job(job_id)
    if not RestartForm().validate_on_submit() or job.state != "failed":
        abort(400)
    restart(job)
    return redirect(url_for("organizer.job", job_id=job.id))


@bp.route("/jobs/<job_id>/status")
@access("organizer")
def job_status_json(job_id: str):
    """Polled by the progress bar."""
    return job_status(load_job(job_id))


@bp.route("/jobs/<job_id>/download")
@access("organizer")
def job_download(job_id: str):
    """The file a finished job produced."""
    job = load_job(job_id)
    if job.state != "done" or not job.result_key:
        abort(404)
    return stored_file_response(
        job.result_key, job.result_name or "hasil",
        job.params.get("mime", "application/octet-stream"),
    )
