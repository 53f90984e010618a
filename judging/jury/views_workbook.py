"""Offline workbook routes for jurors, and the upload flow organizers reuse on their behalf."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging.extensions import db
from judging.io.files.names import content_disposition
from judging.jury.blueprint import bp
from judging.jury.forms import WorkbookConfirmForm, WorkbookUploadForm
from judging.marking import workbook
from judging.marking.marks import WriteRefused
from judging.models import Competition, User
from judging.permissions import access, is_juror_in, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send_workbook(juror: User, competition: Competition) -> Response:
    """The juror's scoring workbook as an attachment."""
    data = workbook.build_workbook(juror, competition)
    name = f"lembar-penilaian-{competition.code}-{juror.id}.xlsx"
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def _session_key(juror: User, competition: Competition) -> str:
    return f"jury_upload:{juror.id}:{competition.id}"


def upload_flow(juror: User, competition: Competition, *, confirm_url: str, back_url: str):
    """GET: the upload form. POST: read the file and show what would change, saving nothing."""
    closed = workbook.workbook_closed(competition)
    form = WorkbookUploadForm()
    if closed and form.is_submitted():
        abort(403, description=closed)
    context = dict(competition=competition, juror=juror, back_url=back_url,
                   on_behalf=juror.id != current_user.id, closed=closed)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("jury/workbook_upload.html", form=form, **context), status
    preview = workbook.preview_upload(juror, competition, form.workbook.data.read())
    workbook.drop_pending(session.pop(_session_key(juror, competition), None))
    confirm = None
    if not preview.problems and preview.rows:
        token = workbook.store_pending(preview, juror=juror, competition=competition,
                                       actor=current_user)
        session[_session_key(juror, competition)] = token
        confirm = WorkbookConfirmForm(token=token)
    status = 422 if preview.problems else 200
    return render_template("jury/workbook_preview.html", preview=preview, confirm=confirm,
                           confirm_url=confirm_url, **context), status


def confirm_flow(juror: User, competition: Competition, *, back_url: str, retry_url: str):
    """Apply the previewed rows all together, or discard them; nothing half-written."""
    form = WorkbookConfirmForm()
    key = _session_key(juror, competition)
    if not form.validate_on_submit() or form.token.data != session.get(key):
        flash(_("Pratinjau tidak ditemukan atau sudah kedaluwarsa. Unggah ulang berkasnya."),
              "error")
        return redirect(retry_url)
    token = session.pop(key)
    payload = workbook.load_pending(token, juror=juror, competition=competition,
                                    actor=current_user)
    if payload is None or form.discard.data:
        workbook.drop_pending(token)
        flash(_("Unggahan dibatalkan; tidak ada yang disimpan.") if payload is not None
              else _("Pratinjau tidak ditemukan atau sudah kedaluwarsa. Unggah ulang berkasnya."),
              "info")
        return redirect(retry_url if payload is None else back_url)
    try:
        written = workbook.apply_pending(payload, juror=juror, actor=current_user,
                                         submit_complete=form.submit_complete.data)
        db.session.commit()
    except WriteRefused as refused:
        db.session.rollback()
        workbook.drop_pending(token)
        abort(refused.status if refused.status in (403, 409) else 400,
              description=refused.message + " " + _("Tidak ada yang disimpan."))
    workbook.drop_pending(token)
    flash(_("%(n)s lembar penilaian tersimpan dari berkas.", n=written), "success")
    return redirect(back_url)


def _juror_competition(competition_id: int) -> Competition:
    competition = db.get_or_404(Competition, competition_id)
    require(is_juror_in(current_user, competition))
    return competition


@bp.route("/competition/<int:competition_id>/workbook.xlsx")
@access("juror")
def workbook_download(competition_id: int):
    """Download the scoring workbook for the juror's assignments."""
    return send_workbook(current_user, _juror_competition(competition_id))


@bp.route("/competition/<int:competition_id>/workbook", methods=["GET", "POST"])
@access("juror")
def workbook_upload(competition_id: int):
    """Upload a filled workbook and preview the changes."""
    competition = _juror_competition(competition_id)
    return upload_flow(
        current_user, competition,
        confirm_url=url_for("jury.workbook_confirm", competition_id=competition.id),
        back_url=url_for("jury.competition", competition_id=competition.id),
    )


@bp.route("/competition/<int:competition_id>/workbook/confirm", methods=["POST"])
@access("juror")
def workbook_confirm(competition_id: int):
    """Apply (or discard) the previewed workbook."""
    competition = _juror_competition(competition_id)
    return confirm_flow(
        current_user, competition,
        back_url=url_for("jury.competition", competition_id=competition.id),
        retry_url=url_for("jury.workbook_upload", competition_id=competition.id),
    )
