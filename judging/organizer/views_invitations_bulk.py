"""Bulk invitations: upload a list → preview → confirm → one job grants roles and mails all."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField
from wtforms.validators import DataRequired

from judging.accounts.bulk_invitations import never_accepted, preview, read_list
from judging.evidence import evidence_store
from judging.jobs import enqueue
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access


class ListForm(FlaskForm):
    """The uploaded list."""

    upload = FileField(validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    """The previewed list, by a signed reference to the stored file."""

    token = HiddenField(validators=[DataRequired()])


def _signer(competition_id: int) -> URLSafeSerializer:
    from flask import current_app

    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=f"juara.bulk-invitations.{competition_id}")


@bp.route("/competitions/<int:competition_id>/invitations")
@access("organizer")
def invitations_bulk(competition_id: int):
    """The upload form, and who never accepted their invitation."""
    competition = managed_competition(competition_id)
    return render_template("organizer/invitations_bulk.html", competition=competition,
                           form=ListForm(), confirm=None, pending=len(never_accepted(competition)))


@bp.route("/competitions/<int:competition_id>/invitations/preview", methods=["POST"])
@access("organizer")
def invitations_bulk_preview(competition_id: int):
    """Read the list and show what confirming it would do; nothing is granted yet."""
    competition = managed_competition(competition_id)
    form = ListForm()
    back = url_for("organizer.invitations_bulk", competition_id=competition.id)
    if not form.validate_on_submit():
        flash(_("Pilih berkas daftar undangan (.xlsx atau .csv)."), "error")
        return redirect(back)
    data = form.upload.data.read()
    previewed = attempt(lambda: preview(competition, read_list(data)), commit=False)
    if not previewed:
        return redirect(back)
    result = previewed.value
    key = evidence_store().put(BytesIO(data))
    confirm = ConfirmForm(token=_signer(competition.id).dumps(key))
    return render_template("organizer/invitations_bulk.html", competition=competition,
                           form=ListForm(formdata=None), confirm=confirm, preview=result,
                           pending=None)


@bp.route("/competitions/<int:competition_id>/invitations/confirm", methods=["POST"])
@access("organizer")
def invitations_bulk_confirm(competition_id: int):
    """Start the one job that invites every usable row and sends their messages."""
    competition = managed_competition(competition_id)
    form = ConfirmForm()
    try:
        key = _signer(competition.id).loads(form.token.data or "") if form.validate() else None
    except BadSignature:
        key = None
    if not key:
        abort(400)
    job = enqueue("invitations.bulk", params={
        "competition_id": competition.id, "key": key,
        "title": _("Undangan massal: %(name)s", name=competition.name),
        "back_url": url_for("organizer.mail_status", competition_id=competition.id),
    }, competition_id=competition.id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id), 303)


@bp.route("/competitions/<int:competition_id>/invitations/resend", methods=["POST"])
@access("organizer")
def invitations_resend(competition_id: int):
    """Fresh links by e-mail to everyone who never accepted."""
    competition = managed_competition(competition_id)
    if not FlaskForm(request.form).validate():
        abort(400)
    job = enqueue("invitations.resend", params={
        "competition_id": competition.id,
        "title": _("Kirim ulang undangan: %(name)s", name=competition.name),
        "back_url": url_for("organizer.mail_status", competition_id=competition.id),
    }, competition_id=competition.id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id), 303)
