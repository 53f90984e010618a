"""Organizer SAQ pages: questionnaire import/export/lock, verifiers, progress, masa sanggah,
per-aspect rankings and awards."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging.competitions.editing import to_local, to_utc
from judging.extensions import db
from judging.io.saq.workbook import read_saq_workbook, write_saq_workbook
from judging.io.xlsx.safety import WorkbookRefused
from judging.models import Entry, User
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_category
from judging.pages.outcome import attempt
from judging.permissions import access
from judging.refusals import in_language
from judging.saq import aspects, objections, progress, questionnaires, verifiers

PER_PAGE = 50
MAX_WORKBOOK = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _questionnaire_or_404(category):
    questionnaire = questionnaires.current_questionnaire(category.id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def _back(category, endpoint: str = "organizer.saq", **args):
    return redirect(url_for(endpoint, category_id=category.id, **args), 303)


def _act(category, action, success: str, endpoint: str = "organizer.saq", **args):
    """Run a service action through ``attempt`` and go back to the page."""
    attempt(action, success)
    return _back(category, endpoint, **args)


@bp.route("/categories/<int:category_id>/saq")
@access("organizer")
def saq(category_id: int):
    """The category's questionnaire: version, lock, import/export, verifiers, masa sanggah."""
    category = managed_category(category_id)
    questionnaire = questionnaires.current_questionnaire(category.id)
    return render_template(
        "organizer/saq.html", category=category, competition=category.competition,
        questionnaire=questionnaire,
        questions=questionnaires.questions_of(questionnaire) if questionnaire else [],
        verifiers=verifiers.category_verifiers(category),
        jurors=verifiers.competition_jurors(category),
        local_deadline=_local_input(questionnaire, category.competition.timezone),
    )


def _local_input(questionnaire, tz_name: str) -> str:
    """The SAQ deadline as a datetime-local field value in the competition's zone."""
    moment = to_local(questionnaire.deadline, tz_name) if questionnaire else None
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else ""


@bp.route("/categories/<int:category_id>/saq/import", methods=["POST"])
@access("organizer")
def saq_import(category_id: int):
    """Read the questionnaire from the Excel template (every bad row listed, nothing saved)."""
    category = managed_category(category_id)
    upload = request.files.get("file")
    data = upload.stream.read(MAX_WORKBOOK + 1) if upload else b""
    if not data or len(data) > MAX_WORKBOOK:
        flash(_("Pilih berkas Excel (.xlsx) paling besar 5 MB."), "error")
        return _back(category)
    try:
        rows, problems = read_saq_workbook(data)
    except WorkbookRefused as exc:
        flash(in_language(exc.message_id, exc.message_en), "error")
        return _back(category)
    if problems:
        for p in problems[:20]:
            flash(_("Baris %(row)d: %(message)s", row=p.row,
                    message=in_language(p.message_id, p.message_en)), "error")
        return _back(category)
    return _act(category, lambda: questionnaires.import_rows(
        category, rows, title=request.form.get("title", "")),
        _("Kuesioner diimpor: %(n)d pertanyaan.", n=len(rows)))


@bp.route("/categories/<int:category_id>/saq/export")
@access("organizer")
def saq_export(category_id: int):
    """The questionnaire as the Excel template (also a blank template to start from)."""
    category = managed_category(category_id)
    questionnaire = questionnaires.current_questionnaire(category.id)
    rows = questionnaires.rows_of(questionnaire) if questionnaire else []
    data = write_saq_workbook(questionnaire.title if questionnaire else category.name, rows)
    response = _xlsx_response(data)
    response.headers["Content-Disposition"] = f'attachment; filename="saq-{category.code}.xlsx"'
    return response


def _xlsx_response(data: bytes):
    """An xlsx body with the headers downloads need."""
    from flask import Response

    response = Response(data, mimetype=XLSX)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/categories/<int:category_id>/saq/settings", methods=["POST"])
@access("organizer")
def saq_settings(category_id: int):
    """The SAQ's own deadline and the per-question evidence size limit."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    try:
        raw = request.form.get("deadline", "").strip()
        local = datetime.fromisoformat(raw).replace(tzinfo=None) if raw else None
        megabytes = float(request.form.get("evidence_mb", "").replace(",", "."))
    except ValueError:
        flash(_("Batas waktu atau ukuran berkas tidak valid."), "error")
        return _back(category)
    deadline = to_utc(local, category.competition.timezone)
    return _act(category, lambda: questionnaires.update_settings(
        questionnaire, deadline=deadline, evidence_mb=megabytes),
        _("Pengaturan SAQ disimpan."))


@bp.route("/categories/<int:category_id>/saq/lock", methods=["POST"])
@access("organizer")
def saq_lock(category_id: int):
    """Lock the questions: the SAQ opens for filling."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    return _act(category, lambda: questionnaires.lock(questionnaire),
                _("Kuesioner dikunci; badan publik dapat mengisi SAQ."))


@bp.route("/categories/<int:category_id>/saq/verifiers", methods=["POST"])
@access("organizer")
def saq_verifier(category_id: int):
    """Assign a juror of the competition as verifikator for the category."""
    category = managed_category(category_id)
    user = db.session.get(User, request.form.get("user_id", type=int) or 0)
    if user is None:
        abort(404)
    return _act(category, lambda: verifiers.assign_verifier(category, user),
                _("Verifikator ditugaskan."))


@bp.route("/categories/<int:category_id>/saq/objections/open", methods=["POST"])
@access("organizer")
def saq_objections_open(category_id: int):
    """Open masa sanggah for a number of days."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    days = request.form.get("days", type=int) or 0
    return _act(category, lambda: objections.open_window(questionnaire, days),
                _("Masa sanggah dibuka."))


@bp.route("/categories/<int:category_id>/saq/objections/close", methods=["POST"])
@access("organizer")
def saq_objections_close(category_id: int):
    """Close masa sanggah: verified scores are frozen."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    return _act(category, lambda: objections.close_window(questionnaire),
                _("Masa sanggah ditutup; nilai SAQ dibekukan."))


@bp.route("/categories/<int:category_id>/saq/progress")
@access("organizer")
def saq_progress(category_id: int):
    """Who has not started, is filling or has submitted, paginated."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    state = request.args.get("state", "all")
    state = state if state in progress.STATES else "all"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    counts = progress.counts(questionnaire)
    return render_template(
        "organizer/saq_progress.html", category=category, competition=category.competition,
        questionnaire=questionnaire, state=state, page=page, counts=counts,
        pages=max((counts[state] + PER_PAGE - 1) // PER_PAGE, 1),
        rows=progress.page_rows(questionnaire, state, page=page, per_page=PER_PAGE),
        questions=progress.question_count(questionnaire),
    )


@bp.route("/categories/<int:category_id>/saq/entries/<int:entry_id>/extend", methods=["POST"])
@access("organizer")
def saq_extend(category_id: int, entry_id: int):
    """Give one body a later SAQ deadline (audited)."""
    category = managed_category(category_id)
    questionnaire = _questionnaire_or_404(category)
    entry = db.session.get(Entry, entry_id)
    if entry is None or entry.category_id != category.id:
        abort(404)
    try:
        local = datetime.fromisoformat(request.form.get("until", ""))
    except ValueError:
        flash(_("Tanggal dan jam batas waktu baru tidak valid."), "error")
        return _back(category, "organizer.saq_progress")
    until = to_utc(local.replace(tzinfo=None), category.competition.timezone)
    return _act(category, lambda: progress.extend_deadline(entry, questionnaire, until),
                _("Batas waktu %(code)s diperpanjang.", code=entry.code),
                "organizer.saq_progress")


@bp.route("/categories/<int:category_id>/saq/aspects")
@access("organizer")
def saq_aspects(category_id: int):
    """Bodies ranked by one aspect's verified score."""
    category = managed_category(category_id)
    groups = aspects.aspect_groups(category)
    if not groups:
        abort(404)
    group = next((g for g in groups if g.key == request.args.get("group")), groups[0])
    return render_template(
        "organizer/saq_aspects.html", category=category, competition=category.competition,
        groups=groups, group=group, ranking=aspects.aspect_ranking(category, group.key),
        award_label=aspects.award_label,
    )


@bp.route("/categories/<int:category_id>/saq/aspects/award", methods=["POST"])
@access("organizer")
def saq_aspects_award(category_id: int):
    """Give an aspect's top places special awards (certificates like the main awards)."""
    category = managed_category(category_id)
    group_key = request.form.get("group", "")
    places = request.form.get("places", type=int) or 0
    return _act(category, lambda: aspects.award_aspect(category, group_key, places,
                                                       actor_id=current_user.id),
                _("Penghargaan per aspek diberikan."), "organizer.saq_aspects", group=group_key)
