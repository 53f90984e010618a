"""The offline-workbook flows jurors use and organizers reuse on a juror's behalf."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired

from judging.extensions import db
from judging.io.files.names import content_disposition
from judging.marking import workbook
from judging.marking.marks import WriteRefused
from judging.models import Competition, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(FlaskForm):
    """Upload a filled scoring workbook for preview."""

    workbook = FileField(_l("Lembar penilaian (.xlsx)"), validators=[
        FileRequired(_l("Pilih berkas lembar penilaian.")),
        FileAllowed(["xlsx"], _l("Hanya berkas .xlsx yang diterima.")),
    ])
    upload = SubmitField(_l("Unggah dan pratinjau"))


class WorkbookConfirmForm(FlaskForm):
    """Apply a previewed workbook, all rows or none."""

    token = HiddenField(validators=[DataRequired()])
    submit_complete = BooleanField(_l("Kirim penilaian untuk baris yang semua kriterianya terisi"))
    confirm = SubmitField(_l("Simpan semua perubahan"))
    discard = SubmitField(_l("Batalkan"))


def send_workbook(juror: User, competition: Competition) -> Response:
    """The juror's scoring workbook as an attachment."""
    data = workbook.build_workbook(juror, competition)
    if data is None:
        abort(404, description=_(
            "Belum ada entri yang ditugaskan kepada juri ini dalam lomba ini, jadi lembar "
            "penilaian belum dapat dibuat."))
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
        applied = workbook.apply_pending(payload, juror=juror, actor=current_user,
                                         submit_complete=form.submit_complete.data)
        db.session.commit()
    except WriteRefused as refused:
        db.session.rollback()
        workbook.drop_pending(token)
        abort(refused.status if refused.status in (403, 409) else 400,
              description=refused.message + " " + _("Tidak ada yang disimpan."))
    workbook.drop_pending(token)
    flash(_("%(n)s lembar penilaian tersimpan dari berkas; %(s)s dikirim untuk peringkat.",
            n=applied.written, s=len(applied.submitted)), "success")
    if applied.drafts:
        flash(_("Masih draf dan belum dihitung dalam peringkat: %(codes)s. Setiap lembar harus "
                "dikirim: buka entrinya dan tekan Kirim, atau unggah lagi dengan centang "
                "\"Kirim penilaian\".", codes=", ".join(applied.drafts)), "warning")
    return redirect(back_url)
