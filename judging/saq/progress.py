"""The organizer's view of SAQ filling: who has not started or finished, and deadline extensions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from judging.audit import record
from judging.extensions import db
from judging.models import Answer, Entry, Question, Questionnaire, SaqResponse, Verification
from judging.models.types import utcnow
from judging.refusals import Refused
from judging.saq.filling import response_for

STATES = ("all", "not_started", "draft", "submitted")


@dataclass(frozen=True)
class ProgressRow:
    """One body: its response (None before the first save), answers given and decided."""

    entry: Entry
    response: SaqResponse | None
    answered: int
    verified: int


def _base(questionnaire: Questionnaire, state: str):
    query = (select(Entry, SaqResponse)
             .outerjoin(SaqResponse, (SaqResponse.entry_id == Entry.id)
                        & (SaqResponse.questionnaire_id == questionnaire.id))
             .where(Entry.category_id == questionnaire.category_id, Entry.status != "withdrawn"))
    if state == "not_started":
        query = query.where(SaqResponse.id.is_(None))
    elif state in ("draft", "submitted"):
        query = query.where(SaqResponse.status == state)
    return query


def counts(questionnaire: Questionnaire) -> dict[str, int]:
    """How many bodies are in each state (``all`` included)."""
    return {state: db.session.scalar(select(func.count()).select_from(
        _base(questionnaire, state).subquery())) for state in STATES}


def question_count(questionnaire: Questionnaire) -> int:
    """Questions in the questionnaire."""
    return db.session.scalar(select(func.count(Question.id))
                             .where(Question.questionnaire_id == questionnaire.id))


def page_rows(questionnaire: Questionnaire, state: str, *, page: int, per_page: int = 50
              ) -> list[ProgressRow]:
    """One page of bodies in ``state``, by entry code."""
    rows = db.session.execute(
        _base(questionnaire, state if state in STATES else "all")
        .options(selectinload(Entry.entrant)).order_by(Entry.code)
        .limit(per_page).offset(max(page - 1, 0) * per_page)
    ).all()
    ids = [r.id for _, r in rows if r is not None]
    tallies = {}
    if ids:
        tallies = {rid: (answered, verified) for rid, answered, verified in db.session.execute(
            select(Answer.response_id, func.count(Answer.value), func.count(Verification.id))
            .outerjoin(Verification, Verification.answer_id == Answer.id)
            .where(Answer.response_id.in_(ids)).group_by(Answer.response_id))}
    return [ProgressRow(e, r, *tallies.get(r.id if r else None, (0, 0))) for e, r in rows]


def extend_deadline(entry: Entry, questionnaire: Questionnaire, until: datetime) -> SaqResponse:
    """Give one body a later SAQ deadline (and reopen a draft after the common one), audited."""
    if until <= utcnow():
        raise Refused("Batas waktu baru harus di masa depan.",
                         "The new deadline must be in the future.")
    response = response_for(entry, questionnaire, create=True)
    if response.status == "submitted":
        raise Refused("SAQ badan publik ini sudah dikirim.", "This body's SAQ is submitted.")
    before = response.deadline_override
    response.deadline_override = until
    record("saq.deadline_extended", object_type="saq_response", object_id=response.id,
           competition_id=questionnaire.category.competition_id,
           before={"deadline": before.isoformat() if before else None},
           after={"deadline": until.isoformat(), "entry_code": entry.code})
    return response
