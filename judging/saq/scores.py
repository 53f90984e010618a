"""Verified SAQ scores from the database, for pages, per-aspect rankings and the KIP method."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from judging.extensions import db
from judging.models import (
    Answer,
    Entry,
    Objection,
    Question,
    Questionnaire,
    SaqResponse,
    Verification,
)
from judging.saq.questionnaires import current_questionnaire, questions_of, spec_of
from judging.scoring.saq import AnswerState, SaqScore, saq_score


def answer_states(response_ids: Iterable[int]) -> dict[int, dict[str, AnswerState]]:
    """Each response's answers as plain states (value, decision, objection outcome)."""
    ids = list(response_ids)
    out: dict[int, dict[str, AnswerState]] = {i: {} for i in ids}
    if not ids:
        return out
    rows = db.session.execute(
        select(Answer.response_id, Question.key, Answer.value, Verification.decision,
               Verification.score, Objection.status, Objection.score)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(Verification, Verification.answer_id == Answer.id)
        .outerjoin(Objection, Objection.answer_id == Answer.id)
        .where(Answer.response_id.in_(ids))
    )
    for rid, key, value, decision, vscore, status, oscore in rows:
        out[rid][key] = AnswerState(value, decision, _float(vscore), status, _float(oscore))
    return out


def _float(value) -> float | None:
    return None if value is None else float(value)


def response_score(questionnaire: Questionnaire, response: SaqResponse, *,
                   verified: bool = True) -> SaqScore:
    """One body's SAQ (verified, or as self-assessed)."""
    specs = [spec_of(q) for q in questions_of(questionnaire)]
    return saq_score(specs, answer_states([response.id])[response.id], verified=verified)


def verified_scores(category_id: int) -> dict[int, SaqScore]:
    """Verified SAQ of every submitted response of the category's locked questionnaire."""
    questionnaire = current_questionnaire(category_id)
    if questionnaire is None or not questionnaire.locked:
        return {}
    rows = db.session.execute(
        select(SaqResponse.id, SaqResponse.entry_id)
        .join(Entry, Entry.id == SaqResponse.entry_id)
        .where(SaqResponse.questionnaire_id == questionnaire.id,
               SaqResponse.status == "submitted", Entry.status != "withdrawn")
    ).all()
    specs = [spec_of(q) for q in questions_of(questionnaire)]
    states = answer_states(rid for rid, _ in rows)
    return {entry_id: saq_score(specs, states[rid]) for rid, entry_id in rows}
