"""Verifier pages: the queue of submitted SAQs, one body's answers beside their evidence."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging.extensions import db
from judging.jury.blueprint import bp
from judging.models import Answer, Objection, SaqResponse
from judging.pages.outcome import attempt
from judging.permissions import access, can_verify_entry
from judging.saq import objections, verification
from judging.saq.questionnaires import questions_of
from judging.saq.scores import response_score

PER_PAGE = 50


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.route("/verification")
@access("juror")
def verification_queue():
    """Submitted SAQs of the bodies this verifier checks, paginated."""
    page = _page()
    rows, total = verification.queue(current_user.id, page=page, per_page=PER_PAGE)
    return render_template("jury/verification_queue.html", rows=rows, page=page,
                           pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), total=total,
                           waiting=verification.open_objection_count(current_user.id))


def _response_or_404(response_id: int) -> SaqResponse:
    response = db.session.get(SaqResponse, response_id)
    if response is None or response.status != "submitted" or not can_verify_entry(
            current_user, response.entry):
        abort(404)
    return response


@bp.route("/verification/<int:response_id>")
@access("juror")
def verification_response(response_id: int):
    """One body's answers of one group, evidence beside each, with the decision forms."""
    response = _response_or_404(response_id)
    questionnaire = response.questionnaire
    groups = questionnaire.groups
    group = next((g for g in groups if g.key == request.args.get("group")), groups[0])
    questions = [q for q in questions_of(questionnaire) if q.group_id == group.id]
    answers = {a.question_id: a for a in db.session.scalars(
        db.select(Answer).where(Answer.response_id == response.id))}
    ids = [a.id for a in answers.values()]
    return render_template(
        "jury/verification_response.html", response=response, entry=response.entry,
        questionnaire=questionnaire, groups=groups, group=group, questions=questions,
        answers=answers, verifications=verification.verifications_by_answer(ids),
        objections=verification.objections_by_answer(ids),
        lock=verification.verification_lock(questionnaire, response),
        resolving=questionnaire.objection_opens_at is not None and questionnaire.frozen_at is None,
        score=response_score(questionnaire, response),
    )


def _back(answer: Answer):
    return redirect(url_for("jury.verification_response", response_id=answer.response_id,
                            group=answer.question.group.key, _anchor=f"q-{answer.question.key}"),
                    303)


@bp.route("/verification/answers/<int:answer_id>", methods=["POST"])
@access("juror")
def verification_decide(answer_id: int):
    """Accept, adjust or reject one answer."""
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        abort(404)
    _response_or_404(answer.response_id)
    attempt(lambda: verification.decide(
        answer, request.form.get("decision", ""),
        score=verification.parse_score(request.form.get("score")),
        reason=request.form.get("reason", ""), verifier_id=current_user.id),
        _("Keputusan verifikasi disimpan."))
    return _back(answer)


@bp.route("/verification/objections/<int:objection_id>", methods=["POST"])
@access("juror")
def verification_resolve(objection_id: int):
    """Uphold or reject an objection filed in masa sanggah."""
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    answer = objection.answer
    _response_or_404(answer.response_id)
    attempt(lambda: objections.resolve(
        objection, request.form.get("outcome") == "upheld",
        resolution=request.form.get("resolution", ""),
        score=verification.parse_score(request.form.get("score")),
        resolver_id=current_user.id), _("Sanggahan sudah diputus."))
    return _back(answer)
