"""Verification: a verifikator accepts, adjusts or rejects each answer against its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from judging.audit import record
from judging.extensions import db
from judging.models import (
    Answer,
    Category,
    Competition,
    ConflictDeclaration,
    Entry,
    Objection,
    Questionnaire,
    RoleGrant,
    SaqResponse,
    Verification,
)
from judging.models.saq import DECISIONS
from judging.models.types import utcnow
from judging.permissions import verifier_filter
from judging.refusals import Refused

MAX_REASON = 2000


@dataclass(frozen=True)
class QueueRow:
    """One body in a verifier's queue: how many of its answers are decided."""

    entry: Entry
    response: SaqResponse
    decided: int
    answers: int


def _queue_query(user_id: int, *columns):
    juror_of = select(RoleGrant.competition_id).where(RoleGrant.user_id == user_id,
                                                      RoleGrant.role == "juror")
    conflicted = select(ConflictDeclaration.entry_id).where(
        ConflictDeclaration.juror_id == user_id)
    return (
        select(*(columns or (SaqResponse, Entry)))
        .select_from(SaqResponse)
        .join(Entry, Entry.id == SaqResponse.entry_id)
        .join(Category, Category.id == Entry.category_id)
        .join(Competition, Competition.id == Category.competition_id)
        .where(SaqResponse.status == "submitted", Entry.status != "withdrawn",
               Competition.id.in_(juror_of), Entry.id.not_in(conflicted),
               verifier_filter(user_id, Entry.id, Entry.category_id))
    )


def queue(user_id: int, *, page: int, per_page: int = 50) -> tuple[list[QueueRow], int]:
    """The submitted SAQs this verifier may check (conflicts left out), one page, and the total."""
    base = _queue_query(user_id)
    total = db.session.scalar(select(func.count()).select_from(
        _queue_query(user_id, SaqResponse.id).subquery()))
    rows = db.session.execute(
        base.options(selectinload(Entry.entrant))
        .order_by(SaqResponse.submitted_at, SaqResponse.id)
        .limit(per_page).offset(max(page - 1, 0) * per_page)
    ).all()
    counts = _counts([r.id for r, _ in rows])
    return [QueueRow(e, r, *counts.get(r.id, (0, 0))) for r, e in rows], total


def _counts(response_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(Answer.response_id, func.count(Verification.id), func.count(Answer.id))
        .outerjoin(Verification, Verification.answer_id == Answer.id)
        .where(Answer.response_id.in_(response_ids)).group_by(Answer.response_id)
    )
    return {rid: (decided, total) for rid, decided, total in rows}


def verification_lock(questionnaire: Questionnaire, response: SaqResponse) -> Refused | None:
    """Why answers cannot be verified now, or None while they can."""
    if response.status != "submitted":
        return Refused("SAQ ini belum dikirim.", "This SAQ has not been submitted.")
    if questionnaire.category.competition.phase not in ("open", "judging"):
        return Refused("Verifikasi hanya pada tahap pendaftaran atau penjurian.",
                          "Verification happens only while the competition is open or judging.")
    if questionnaire.objection_opens_at is not None:
        return Refused("Masa sanggah sudah dimulai; hasil verifikasi tidak diubah lagi, "
                          "kecuali lewat sanggahan.",
                          "Masa sanggah has started; verification no longer changes except "
                          "through objections.")
    return None


def parse_score(raw: str | None) -> Decimal | None:
    """A 0–100 score typed by a person (comma or point), or None when empty."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation as exc:
        raise _bad_score() from exc
    if not score.is_finite() or not 0 <= score <= 100:
        raise _bad_score()
    return score


def _bad_score() -> Refused:
    return Refused("Nilai harus angka 0–100 (persen dari bobot pertanyaan).",
                      "The score must be a number 0–100 (percent of the question's weight).")


def decide(answer: Answer, decision: str, *, score: Decimal | None, reason: str,
           verifier_id: int) -> Verification:
    """Record (or change) the decision on one answer, audited. Raises Refused."""
    response = answer.response
    refusal = verification_lock(response.questionnaire, response)
    if refusal:
        raise refusal
    reason = (reason or "").strip()[:MAX_REASON]
    if decision not in DECISIONS:
        raise Refused("Keputusan tidak dikenal.", "Unknown decision.")
    if decision != "accepted" and not reason:
        raise Refused("Tulis alasan untuk penyesuaian atau penolakan.",
                         "Give a reason for an adjustment or a rejection.")
    if decision == "adjusted" and score is None:
        raise _bad_score()
    row = db.session.scalar(select(Verification).where(Verification.answer_id == answer.id))
    before = _summary(row)
    if row is None:
        row = Verification(answer_id=answer.id)
        db.session.add(row)
    row.decision, row.reason, row.verifier_id = decision, reason, verifier_id
    row.score = score if decision == "adjusted" else None
    row.decided_at = utcnow()
    db.session.flush()
    record("saq.verified", object_type="saq_answer", object_id=answer.id,
           competition_id=response.questionnaire.category.competition_id,
           before=before, after=_summary(row))
    return row


def _summary(row: Verification | None) -> dict | None:
    if row is None:
        return None
    return {"decision": row.decision, "score": None if row.score is None else str(row.score),
            "reason": row.reason}


def verifications_by_answer(answer_ids: list[int]) -> dict[int, Verification]:
    """Decisions keyed by answer id."""
    if not answer_ids:
        return {}
    rows = db.session.scalars(select(Verification).where(Verification.answer_id.in_(answer_ids)))
    return {v.answer_id: v for v in rows}


def objections_by_answer(answer_ids: list[int]) -> dict[int, Objection]:
    """Objections keyed by answer id."""
    if not answer_ids:
        return {}
    rows = db.session.scalars(select(Objection).where(Objection.answer_id.in_(answer_ids)))
    return {o.answer_id: o for o in rows}


def open_objection_count(user_id: int) -> int:
    """Objections waiting for this verifier's resolution (their assigned bodies)."""
    responses = _queue_query(user_id, SaqResponse.id)
    return db.session.scalar(
        select(func.count(Objection.id))
        .join(Answer, Answer.id == Objection.answer_id)
        .where(Objection.status == "open", Answer.response_id.in_(responses))
    ) or 0
