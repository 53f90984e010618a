"""Moderation: jurors' marks side by side, revisit requests, notes, uploads on a juror's behalf."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from judging.extensions import db
from judging.fields import SafeIntegerField, form_int
from judging.marking.marks import NotAllowed
from judging.marking.moderation import add_note, category_jurors, category_matrix, request_revisit
from judging.models import Category, Competition, Entry, User
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_category, managed_competition
from judging.pages.workbook import confirm_flow, send_workbook, upload_flow
from judging.permissions import access, is_juror_in


class RevisitForm(FlaskForm):
    """Ask one juror to look at one entry again."""

    juror_id = SafeIntegerField(validators=[InputRequired()])
    entry_id = SafeIntegerField(validators=[InputRequired()])
    note = TextAreaField(_l("Catatan untuk juri"),
                         validators=[DataRequired(_l("Catatan wajib diisi.")), Length(max=2000)])
    request = SubmitField(_l("Minta tinjau ulang"))


class NoteForm(FlaskForm):
    """A moderation note on the category or one entry."""

    entry_id = SelectField(_l("Entri"), coerce=str, validate_choice=False)
    text = TextAreaField(_l("Catatan moderasi"),
                         validators=[DataRequired(_l("Catatan wajib diisi.")), Length(max=5000)])
    add = SubmitField(_l("Simpan catatan"))


@bp.route("/competition/<int:competition_id>/moderation")
@access("organizer")
def moderation_index(competition_id: int):
    """The competition's categories with their disagreements, and its jurors."""
    competition = managed_competition(competition_id)
    summaries = [(c, category_matrix(c)) for c in competition.categories]
    jurors = {j.id: j for c in competition.categories for j in category_jurors(c)}
    return render_template("organizer/moderation_index.html", competition=competition,
                           summaries=summaries, jurors=sorted(jurors.values(),
                                                              key=lambda j: j.name))


@bp.route("/category/<int:category_id>/moderation")
@access("organizer")
def moderation(category_id: int):
    """Every juror's marks side by side with spreads and flagged disagreements."""
    category = managed_category(category_id)
    return _render(category)


def _render(category: Category, revisit: RevisitForm | None = None,
            note: NoteForm | None = None, status: int = 200):
    matrix = category_matrix(category)
    note = note or NoteForm(formdata=None)
    note.entry_id.choices = [("", _("Seluruh kategori"))] + [
        (str(line.entry.id), f"{line.entry.code} · {line.entry.entrant.name}")
        for line in matrix.lines]
    return render_template(
        "organizer/moderation.html", category=category, competition=category.competition,
        matrix=matrix, revisit=revisit or RevisitForm(formdata=None), note=note,
    ), status


@bp.route("/category/<int:category_id>/moderation/revisit", methods=["POST"])
@access("organizer")
def moderation_revisit(category_id: int):
    """Send a juror's sheet for an entry back to draft with a note."""
    category = managed_category(category_id)
    form = RevisitForm()
    if not form.validate_on_submit():
        flash(_("Catatan untuk juri wajib diisi."), "error")
        return _render(category, revisit=form, status=400)
    entry = db.session.get(Entry, form.entry_id.data)
    juror = db.session.get(User, form.juror_id.data)
    if entry is None or juror is None or entry.category_id != category.id:
        abort(404)
    try:
        request_revisit(juror, entry, form.note.data, actor=current_user)
        db.session.commit()
    except NotAllowed as refused:
        db.session.rollback()
        abort(403, description=refused.message)
    flash(_("Permintaan tinjau ulang dikirim ke %(name)s.", name=juror.name), "success")
    return redirect(url_for("organizer.moderation", category_id=category.id))


@bp.route("/category/<int:category_id>/moderation/note", methods=["POST"])
@access("organizer")
def moderation_note(category_id: int):
    """Record a moderation note."""
    category = managed_category(category_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render(category, note=form, status=400)
    entry = None
    if form.entry_id.data:
        try:
            entry = db.session.get(Entry, form_int(form.entry_id.data))
        except ValueError:
            entry = None
        if entry is None:
            abort(404)
    try:
        add_note(category, entry, form.text.data, actor=current_user)
        db.session.commit()
    except NotAllowed as refused:
        db.session.rollback()
        abort(403, description=refused.message)
    flash(_("Catatan moderasi tersimpan."), "success")
    return redirect(url_for("organizer.moderation", category_id=category.id))


def _juror_of(competition: Competition, juror_id: int) -> User:
    juror = db.get_or_404(User, juror_id)
    if not is_juror_in(juror, competition):
        abort(404)
    return juror


@bp.route("/competition/<int:competition_id>/juror/<int:juror_id>/workbook.xlsx")
@access("organizer")
def moderation_workbook_download(competition_id: int, juror_id: int):
    """A juror's scoring workbook, for an organizer filling it on their behalf."""
    competition = managed_competition(competition_id)
    return send_workbook(_juror_of(competition, juror_id), competition)


@bp.route("/competition/<int:competition_id>/juror/<int:juror_id>/workbook",
          methods=["GET", "POST"])
@access("organizer")
def moderation_workbook_upload(competition_id: int, juror_id: int):
    """Upload a juror's workbook on their behalf and preview the changes."""
    competition = managed_competition(competition_id)
    juror = _juror_of(competition, juror_id)
    return upload_flow(
        juror, competition,
        confirm_url=url_for("organizer.moderation_workbook_confirm",
                            competition_id=competition.id, juror_id=juror.id),
        back_url=url_for("organizer.moderation_index", competition_id=competition.id),
    )


@bp.route("/competition/<int:competition_id>/juror/<int:juror_id>/workbook/confirm",
          methods=["POST"])
@access("organizer")
def moderation_workbook_confirm(competition_id: int, juror_id: int):
    """Apply (or discard) a workbook uploaded on a juror's behalf."""
    competition = managed_competition(competition_id)
    juror = _juror_of(competition, juror_id)
    return confirm_flow(
        juror, competition,
        back_url=url_for("organizer.moderation_index", competition_id=competition.id),
        retry_url=url_for("organizer.moderation_workbook_upload",
                          competition_id=competition.id, juror_id=juror.id),
    )
