"""Monev import pages: template download, upload → preview, confirm, discard, rollback."""

from __future__ import annotations

from io import BytesIO

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from judging.evidence import evidence_store, stored_file_response
from judging.extensions import db
from judging.fields import int_or
from judging.i18n import export_words, interface_language, number, pick
from judging.io.files.names import content_disposition
from judging.jobs import enqueue
from judging.models import Category
from judging.monev import batches as service
from judging.monev.previews import (
    SHOWN_MISSING,
    changes_in,
    check_upload,
    decide,
    facts_param,
    page_rows,
    read_kept,
)
from judging.monev.refusals import check_phase, too_many_rows
from judging.monev.sizing import HEADER_SLACK, estimated_rows
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_category
from judging.pages.outcome import attempt
from judging.permissions import access
from judging.phases import monev_editable
from judging.plugin_setup import methods
from judging.refusals import Refused

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_CHANGES = 500
SHOWN_ERRORS = 500


class UploadForm(FlaskForm):
    workbook = FileField(validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    skip_invalid = BooleanField()


class ActionForm(FlaskForm):
    pass


@bp.route("/categories/<int:category_id>/monev")
@access("organizer")
def monev(category_id: int):
    """A category's monev data: stored values, template, upload, batches."""
    return render_monev(managed_category(category_id))


def render_monev(category: Category, error: str | None = None, status: int = 200):
    method = methods().get(category.method_key)
    entries = service.category_entries(category)
    current = service.current_values(category.id)
    return render_template(
        "organizer/monev.html", category=category, competition=category.competition,
        indicators=method.indicators, entries=entries, current=current, number=number,
        batches=service.batches_of(category), form=UploadForm(), action=ActionForm(),
        editable=monev_editable(category.competition), error=error,
    ), status


@bp.route("/categories/<int:category_id>/monev/template.xlsx")
@access("organizer")
def monev_template(category_id: int):
    """The fill-in workbook with the category's indicators and enrolled entrants."""
    from judging.io.monev.template import write_monev_template  # openpyxl: not at start-up

    category = managed_category(category_id)
    method = methods().get(category.method_key)
    entries = service.category_entries(category)
    data = write_monev_template(
        title=f"{category.competition.name} — {category.name}", indicators=method.indicators,
        entrants=[(code, entry.name) for code, entry in entries.items()], words=export_words())
    response = Response(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = content_disposition(
        f"monev-{category.code}.xlsx")
    return response


@bp.route("/categories/<int:category_id>/monev/upload", methods=["POST"])
@access("organizer")
def monev_upload(category_id: int):
    """Read an uploaded workbook into a previewed batch (large files in the background)."""
    category = managed_category(category_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_monev(category, _("Pilih berkas .xlsx untuk diunggah."), 400)
    upload = form.workbook.data
    data = upload.read()
    try:
        check_phase(category.competition)
        facts = check_upload(data)
        size = estimated_rows(data)
        limit = current_app.config["IMPORT_MAX_ROWS"]
        if size.exact and size.rows > limit + HEADER_SLACK:
            raise too_many_rows(size.rows, limit)
        if size.rows > current_app.config["IMPORT_BACKGROUND_ROWS"]:
            return start_preview_job(category, data, upload.filename, size.rows, facts)
        batch = service.build_batch(category, data, filename=upload.filename or "",
                                    user_id=current_user.id, facts=facts)
    except Refused as refusal:
        db.session.rollback()
        return render_monev(category, pick(refusal), 400)
    db.session.commit()
    return redirect(url_for("organizer.monev_batch", category_id=category.id,
                            batch_id=batch.id), 303)


def start_preview_job(category: Category, data: bytes, filename: str | None, rows: int,
                      facts):
    """Keep the file and hand the preview to a background job; show its progress page."""
    key = evidence_store().put(BytesIO(data))
    job = enqueue("monev.preview", params={
        "category_id": category.id, "storage_key": key, "filename": filename or "",
        "facts": facts_param(facts),
        "estimated_rows": rows, "title": _("Pratinjau impor monev: %(name)s", name=category.name),
        "back_url": url_for("organizer.monev", category_id=category.id),
    }, competition_id=category.competition_id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id), 303)


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>")
@access("organizer")
def monev_batch(category_id: int, batch_id: int):
    """The preview of a batch, one stored page at a time (or, once stored, what it changed)."""
    category = managed_category(category_id)
    try:
        batch = service.load_batch(batch_id, category.id)
    except Refused:
        abort(404)
    method = methods().get(category.method_key)
    page = max(1, min(int_or(request.args.get("page"), 1), 1_000_000))
    if batch.state == "previewed":
        changes = changes_in(batch, page_rows(batch, page - 1))
        change_count = batch.summary.get("new_values", 0) + batch.summary.get("replaced", 0)
        replaced, pages = batch.summary.get("replaced", 0), batch.summary.get("pages", 0)
    else:
        change_count, replaced = service.logged_count(batch)
        changes = service.logged_changes(batch, offset=(page - 1) * SHOWN_CHANGES,
                                         limit=SHOWN_CHANGES)
        pages = -(-change_count // SHOWN_CHANGES)
    return render_template(
        "organizer/monev_batch.html", category=category, competition=category.competition,
        batch=batch, lang=interface_language(), number=number, indicators=method.indicators,
        headers={i.key: pick(i.header) for i in method.indicators},
        changes=changes, change_count=change_count, replaced=replaced, page=page,
        pages=pages, shown_errors=SHOWN_ERRORS, shown_missing=SHOWN_MISSING,
        same_file=service.same_file_committed(batch), confirm=ConfirmForm(),
        action=ActionForm(), editable=monev_editable(category.competition),
    )


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>/mapping",
          methods=["POST"])
@access("organizer")
def monev_mapping(category_id: int, batch_id: int):
    """Judge a previewed batch again with the columns and scales the organizer chose; a large
    one whose read this process no longer keeps is judged by a background job."""
    category = managed_category(category_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    method = methods().get(category.method_key)
    try:
        batch = service.load_batch(batch_id, category.id)
        choices, scales = chosen_mapping(batch, {i.key for i in method.indicators})
        if (batch.rows_read > current_app.config["IMPORT_BACKGROUND_ROWS"]
                and not read_kept(batch)):
            return start_decide_job(category, batch, choices, scales)
    except Refused as refusal:
        db.session.rollback()
        flash(pick(refusal), "error")
        return redirect(url_for("organizer.monev_batch", category_id=category.id,
                                batch_id=batch_id), 303)
    attempt(lambda: decide(batch.id, category_id=category.id, choices=choices, scales=scales),
            _("Pemetaan diterapkan; pratinjau dihitung ulang."))
    return redirect(url_for("organizer.monev_batch", category_id=category.id,
                            batch_id=batch_id), 303)


def start_decide_job(category: Category, batch, choices: dict, scales: dict):
    """Judge a large batch again in the background; the job page shows when it is done."""
    job = enqueue("monev.decide", params={
        "category_id": category.id, "batch_id": batch.id, "choices": choices,
        "scales": scales, "title": _("Menerapkan pemetaan impor monev #%(id)s", id=batch.id),
        "back_url": url_for("organizer.monev_batch", category_id=category.id,
                            batch_id=batch.id),
    }, competition_id=category.competition_id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id), 303)


def chosen_mapping(batch, keys: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The headers whose target the organizer changed, and the scale answers given."""
    choices, scales = {}, {}
    for m in batch.summary.get("mapping", []):
        wanted = request.form.get(f"map-{m['col']}")
        if m["reason"] == "entrant" or wanted is None or wanted == m["target"]:
            continue
        if wanted and wanted not in keys:
            raise Refused("Indikator yang dipilih tidak dikenal.",
                          "The chosen indicator is unknown.")
        choices[m["text"]] = wanted
    for q in batch.summary.get("questions", []):
        answer = request.form.get(f"scale-{q['key']}")
        if answer in ("fraction", "as_written"):
            scales[q["key"]] = answer
    return choices, scales


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>/file")
@access("organizer")
def monev_file(category_id: int, batch_id: int):
    """The workbook exactly as it was uploaded for this batch."""
    category = managed_category(category_id)
    try:
        batch = service.load_batch(batch_id, category.id)
    except Refused:
        abort(404)
    if not batch.storage_key:
        abort(404)
    return stored_file_response(batch.storage_key, batch.filename or "monev.xlsx")


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>/commit",
          methods=["POST"])
@access("organizer")
def monev_commit(category_id: int, batch_id: int):
    """Store the batch's valid rows, all in one transaction."""
    category = managed_category(category_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    skip_invalid = bool(form.skip_invalid.data)
    try:
        batch = service.load_batch(batch_id, category.id)
        if batch.rows_valid > current_app.config["IMPORT_BACKGROUND_ROWS"]:
            service.check_commit(batch, skip_invalid)
            return start_commit_job(category, batch, skip_invalid)
    except Refused as refusal:
        db.session.rollback()
        flash(pick(refusal), "error")
        return redirect(url_for("organizer.monev", category_id=category.id), 303)
    return act(category, batch_id, service.commit_batch, _("Data monev disimpan."),
               skip_invalid=skip_invalid)


def start_commit_job(category: Category, batch, skip_invalid: bool):
    """Store a large batch in the background; the job page shows when it is done."""
    job = enqueue("monev.commit", params={
        "category_id": category.id, "batch_id": batch.id, "skip_invalid": skip_invalid,
        "title": _("Menyimpan impor monev #%(id)s", id=batch.id),
        "back_url": url_for("organizer.monev_batch", category_id=category.id,
                            batch_id=batch.id),
    }, competition_id=category.competition_id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id), 303)


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>/discard",
          methods=["POST"])
@access("organizer")
def monev_discard(category_id: int, batch_id: int):
    """Drop a previewed batch."""
    category = managed_category(category_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return act(category, batch_id, service.discard_batch, _("Pratinjau dibuang; tidak ada "
                                                             "data yang disimpan."))


@bp.route("/categories/<int:category_id>/monev/batches/<int:batch_id>/rollback",
          methods=["POST"])
@access("organizer")
def monev_rollback(category_id: int, batch_id: int):
    """Undo a stored batch, restoring the values it replaced."""
    category = managed_category(category_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return act(category, batch_id, service.rollback_batch,
               _("Batch dibatalkan; nilai sebelumnya dipulihkan."))


def act(category: Category, batch_id: int, action, done: str, **options):
    """Run one batch action in one transaction; a refusal changes nothing and says why."""
    if not attempt(lambda: action(batch_id, category_id=category.id, actor_id=current_user.id,
                                  **options), done):
        return redirect(url_for("organizer.monev", category_id=category.id), 303)
    return redirect(url_for("organizer.monev_batch", category_id=category.id,
                            batch_id=batch_id), 303)
