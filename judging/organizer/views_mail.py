"""Delivery status of a competition's e-mail: sent, failed with the reason, waiting."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from judging.extensions import db
from judging.mail.delivery import retry_failed
from judging.mail.notify import send_later
from judging.models import Message
from judging.models.mail import MESSAGE_STATES
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_competition
from judging.permissions import access

PAGE = 200


@bp.route("/competitions/<int:competition_id>/mail")
@access("organizer")
def mail_status(competition_id: int):
    """Counts by status and the latest messages, optionally of one status."""
    competition = managed_competition(competition_id)
    status = request.args.get("status")
    counts = dict(db.session.execute(select(Message.status, func.count()).where(
        Message.competition_id == competition.id).group_by(Message.status)).all())
    query = select(Message).where(Message.competition_id == competition.id)
    if status in MESSAGE_STATES:
        query = query.where(Message.status == status)
    messages = db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE)).all()
    return render_template("organizer/mail.html", competition=competition, counts=counts,
                           messages=messages, status=status, states=MESSAGE_STATES,
                           form=FlaskForm())


@bp.route("/competitions/<int:competition_id>/mail/retry", methods=["POST"])
@access("organizer")
def mail_retry(competition_id: int):
    """Try the failed messages again, in one job."""
    competition = managed_competition(competition_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    failed = db.session.scalars(select(Message).where(
        Message.competition_id == competition.id, Message.status == "failed")).all()
    retry_failed(failed)
    db.session.commit()
    job = send_later(failed, competition_id=competition.id, user_id=current_user.id)
    if job is None:
        return redirect(url_for("organizer.mail_status", competition_id=competition.id))
    return redirect(url_for("organizer.job", job_id=job.id), 303)
