"""Participant SAQ pages: one page per group, autosave, data dukung, submit, masa sanggah."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging.extensions import csrf, db
from judging.i18n import pick
from judging.io.files.check import FileRefused
from judging.models import Answer, Entry
from judging.participant.blueprint import bp
from judging.participant.loading import own_entry_or_404
from judging.participant.uploads import parsed_upload, wants_json
from judging.permissions import access
from judging.refusals import Refused
from judging.saq import filling, objections
from judging.saq.questionnaires import current_questionnaire, questions_of
from judging.saq.scores import response_score
from judging.saq.verification import objections_by_answer, verifications_by_answer


def _load(entry_id: int, *, for_update: bool = False):
    entry = own_entry_or_404(current_user, entry_id, for_update=for_update)
    questionnaire = current_questionnaire(entry.category_id)
    if questionnaire is None:
        abort(404)
    return entry, questionnaire


@bp.route("/entries/<int:entry_id>/saq")
@access("participant")
def saq(entry_id: int):
    """The SAQ's first group."""
    entry, questionnaire = _load(entry_id)
    if not questionnaire.groups:
        abort(404)
    return redirect(url_for("participant.saq_group", entry_id=entry.id,
                            group_key=questionnaire.groups[0].key))


@bp.route("/entries/<int:entry_id>/saq/<group_key>")
@access("participant")
def saq_group(entry_id: int, group_key: str):
    """One group's questions with answers, evidence, progress and (in masa sanggah) outcomes."""
    entry, questionnaire = _load(entry_id)
    group = next((g for g in questionnaire.groups if g.key == group_key), None)
    if group is None:
        abort(404)
    response = filling.response_for(entry, questionnaire, create=False)
    answers = filling.answers_by_question(response)
    questions = questions_of(questionnaire)
    shown = [q for q in questions if q.group_id == group.id]
    ids = [answers[q.id].id for q in shown if q.id in answers]
    published = questionnaire.objection_opens_at is not None
    lock = filling.fill_lock(questionnaire, response)
    return render_template(
        "participant/saq.html", entry=entry, questionnaire=questionnaire, group=group,
        questions=shown, answers=answers, response=response, lock=lock,
        progress=filling.progress(questions, answers), complete=filling.complete,
        deadline=questionnaire.deadline_for(response),
        verifications=verifications_by_answer(ids) if published else {},
        objections=objections_by_answer(ids) if published else {},
        objections_open=questionnaire.objections_open(),
        score=response_score(questionnaire, response) if published and response else None,
    )


def _question(entry: Entry, questionnaire, question_id: int):
    try:
        return filling.own_question(questionnaire, question_id)
    except Refused:
        abort(404)


def _answer_json(entry: Entry, questionnaire, answer: Answer | None, message: str):
    response = filling.response_for(entry, questionnaire, create=False)
    questions = questions_of(questionnaire)
    progress = filling.progress(questions, filling.answers_by_question(response))
    return jsonify(ok=True, message=message,
                   progress={p.key: [p.done, p.total] for p in progress},
                   done=sum(p.done for p in progress), total=sum(p.total for p in progress))


def _refused(entry: Entry, questionnaire, group_key: str, exc: Exception):
    db.session.rollback()
    message = pick(exc)
    if wants_json():
        return jsonify(ok=False, errors=[message]), 409
    flash(message, "error")
    return redirect(url_for("participant.saq_group", entry_id=entry.id, group_key=group_key), 303)


@bp.route("/entries/<int:entry_id>/saq/questions/<int:question_id>", methods=["POST"])
@access("participant")
def saq_answer(entry_id: int, question_id: int):
    """Autosave one answer (the page's script posts each change)."""
    entry, questionnaire = _load(entry_id, for_update=True)
    question = _question(entry, questionnaire, question_id)
    try:
        answer = filling.save_value(entry, question, request.form.get("value", ""))
    except Refused as exc:
        return _refused(entry, questionnaire, question.group.key, exc)
    db.session.commit()
    if wants_json():
        return _answer_json(entry, questionnaire, answer, _("Tersimpan."))
    flash(_("Jawaban disimpan."), "success")
    return redirect(url_for("participant.saq_group", entry_id=entry.id,
                            group_key=question.group.key, _anchor=f"q-{question.key}"), 303)


@bp.route("/entries/<int:entry_id>/saq/questions/<int:question_id>/link", methods=["POST"])
@access("participant")
def saq_link(entry_id: int, question_id: int):
    """Keep a checked https link as the question's data dukung."""
    entry, questionnaire = _load(entry_id, for_update=True)
    question = _question(entry, questionnaire, question_id)
    try:
        filling.save_link(entry, question, request.form.get("url", ""))
    except Refused as exc:
        return _refused(entry, questionnaire, question.group.key, exc)
    db.session.commit()
    flash(_("Tautan data dukung disimpan."), "success")
    return redirect(url_for("participant.saq_group", entry_id=entry.id,
                            group_key=question.group.key, _anchor=f"q-{question.key}"), 303)


@bp.route("/entries/<int:entry_id>/saq/questions/<int:question_id>/file", methods=["POST"])
@csrf.exempt  # the token is checked on the streamed form in parsed_upload
@access("participant")
def saq_file(entry_id: int, question_id: int):
    """Upload the question's data dukung, checked by content and the per-question limit."""
    entry, questionnaire = _load(entry_id)
    question = _question(entry, questionnaire, question_id)
    limit = questionnaire.evidence_max_bytes
    group_key = question.group.key
    db.session.rollback()  # hold no database lock while the upload streams in
    with parsed_upload(limit) as upload:
        entry, questionnaire = _load(entry_id, for_update=True)
        question = _question(entry, questionnaire, question_id)
        parts = upload.uploads()
        if not parts:
            return _refused(entry, questionnaire, group_key,
                            Refused("Pilih berkas yang akan diunggah.",
                                       "Choose a file to upload."))
        name, stream = parts[0]
        try:
            filling.save_file(entry, question, stream, name, user_id=current_user.id)
        except (Refused, FileRefused) as exc:
            return _refused(entry, questionnaire, group_key, exc)
        db.session.commit()
    flash(_("Berkas data dukung diunggah."), "success")
    return redirect(url_for("participant.saq_group", entry_id=entry.id, group_key=group_key,
                            _anchor=f"q-{question.key}"), 303)


@bp.route("/entries/<int:entry_id>/saq/submit", methods=["POST"])
@access("participant")
def saq_submit(entry_id: int):
    """Submit a complete SAQ; it is read-only afterwards."""
    entry, questionnaire = _load(entry_id, for_update=True)
    group_key = request.form.get("group") or questionnaire.groups[0].key
    try:
        filling.submit(entry, questionnaire)
    except Refused as exc:
        return _refused(entry, questionnaire, group_key, exc)
    db.session.commit()
    flash(_("SAQ berhasil dikirim."), "success")
    return redirect(url_for("participant.saq_group", entry_id=entry.id, group_key=group_key), 303)


@bp.route("/entries/<int:entry_id>/saq/questions/<int:question_id>/objection",
          methods=["POST"])
@csrf.exempt  # the token is checked on the streamed form in parsed_upload
@access("participant")
def saq_objection(entry_id: int, question_id: int):
    """File an objection in masa sanggah with a reason and optional extra evidence."""
    entry, questionnaire = _load(entry_id)
    question = _question(entry, questionnaire, question_id)
    group_key = question.group.key
    db.session.rollback()
    with parsed_upload(questionnaire.evidence_max_bytes) as upload:
        entry, questionnaire = _load(entry_id, for_update=True)
        answer = filling.answers_by_question(
            filling.response_for(entry, questionnaire, create=False)).get(question.id)
        if answer is None:
            abort(404)
        try:
            evidence_id = _extra_evidence(entry, questionnaire, upload)
            objections.file_objection(entry, answer, upload.form.get("reason", ""),
                                      url=upload.form.get("url", ""), evidence_id=evidence_id,
                                      user_id=current_user.id)
        except (Refused, FileRefused) as exc:
            return _refused(entry, questionnaire, group_key, exc)
        db.session.commit()
    flash(_("Sanggahan diajukan."), "success")
    return redirect(url_for("participant.saq_group", entry_id=entry.id, group_key=group_key,
                            _anchor=f"q-{question.key}"), 303)


def _extra_evidence(entry: Entry, questionnaire, upload) -> int | None:
    parts = upload.uploads()
    if not parts:
        return None
    if not questionnaire.objections_open():
        raise Refused("Masa sanggah tidak sedang dibuka.", "Masa sanggah is not open.")
    name, stream = parts[0]
    return filling.store_evidence(entry, questionnaire, stream, name, requirement="saq:objection",
                                  user_id=current_user.id).id
