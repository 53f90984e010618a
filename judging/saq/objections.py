"""Masa sanggah: bodies object to verified answers; verifiers resolve; closing freezes scores."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from judging.audit import record
from judging.extensions import db
from judging.i18n import OBJECTION_STATUSES
from judging.mail import notify
from judging.mail.audiences import entrant_participants
from judging.models import Answer, Entry, Objection, Questionnaire, SaqResponse, Verification
from judging.models.types import utcnow
from judging.refusals import Refused
from judging.saq.links import check_link
from judging.urls import external_url

MAX_REASON = 2000
MAX_DAYS = 60


def _reason(text: str) -> str:
    reason = (text or "").strip()[:MAX_REASON]
    if not reason:
        raise Refused("Alasan wajib diisi.", "A reason is required.")
    return reason


def _competition_id(questionnaire: Questionnaire) -> int:
    return questionnaire.category.competition_id


def open_window(questionnaire: Questionnaire, days: int) -> None:
    """Start masa sanggah for ``days`` days: verification is fixed, objections may be filed."""
    if not questionnaire.locked:
        raise Refused("Kuesioner belum dikunci.", "The questionnaire is not locked.")
    if questionnaire.objection_opens_at is not None:
        raise Refused("Masa sanggah sudah pernah dibuka.", "Masa sanggah was already opened.")
    if not 1 <= days <= MAX_DAYS:
        raise Refused(f"Lama masa sanggah 1–{MAX_DAYS} hari.",
                         f"Masa sanggah lasts 1–{MAX_DAYS} days.")
    now = utcnow()
    questionnaire.objection_opens_at = now
    questionnaire.objection_closes_at = now + timedelta(days=days)
    record("saq.objections_opened", object_type="saq_questionnaire", object_id=questionnaire.id,
           competition_id=_competition_id(questionnaire),
           after={"closes_at": questionnaire.objection_closes_at.isoformat()})
    tell_published(questionnaire)


def tell_published(questionnaire: Questionnaire) -> None:
    """Every body that submitted hears its verification is out (sent once the step commits)."""
    competition = questionnaire.category.competition
    entries = db.session.scalars(
        select(Entry).join(SaqResponse, SaqResponse.entry_id == Entry.id)
        .where(SaqResponse.questionnaire_id == questionnaire.id,
               SaqResponse.submitted_at.is_not(None)))
    for entry in entries:
        for user in entrant_participants([entry.entrant_id]):
            notify.verification_published(
                user, competition, entry.entrant.name, _saq_link(entry),
                until=questionnaire.objection_closes_at)


def _saq_link(entry: Entry) -> str:
    return external_url("participant.saq", entry_id=entry.id)


def close_window(questionnaire: Questionnaire) -> None:
    """End masa sanggah and freeze the verified scores; every objection must be resolved."""
    if questionnaire.objection_opens_at is None or questionnaire.frozen_at is not None:
        raise Refused("Masa sanggah tidak sedang berjalan.", "Masa sanggah is not running.")
    waiting = db.session.scalar(
        select(func.count(Objection.id)).join(Answer, Answer.id == Objection.answer_id)
        .join(SaqResponse, SaqResponse.id == Answer.response_id)
        .where(Objection.status == "open", SaqResponse.questionnaire_id == questionnaire.id))
    if waiting:
        raise Refused(f"Masih ada {waiting} sanggahan yang belum diputus verifikator.",
                         f"{waiting} objections are still waiting for a verifier's decision.")
    questionnaire.frozen_at = utcnow()
    record("saq.objections_closed", object_type="saq_questionnaire", object_id=questionnaire.id,
           competition_id=_competition_id(questionnaire))


def file_objection(entry: Entry, answer: Answer, reason: str, *, url: str = "",
                   evidence_id: int | None = None, user_id: int) -> Objection:
    """Object to one verified answer with a reason and, optionally, extra evidence."""
    questionnaire = answer.response.questionnaire
    if answer.response.entry_id != entry.id:
        raise Refused("Jawaban ini bukan milik entri Anda.", "This answer is not yours.")
    if not questionnaire.objections_open():
        raise Refused("Masa sanggah tidak sedang dibuka.", "Masa sanggah is not open.")
    if db.session.scalar(select(Verification.id).where(Verification.answer_id == answer.id)) \
            is None:
        raise Refused("Jawaban ini belum diverifikasi.", "This answer has not been verified.")
    if db.session.scalar(select(Objection.id).where(Objection.answer_id == answer.id)):
        raise Refused("Sanggahan untuk pertanyaan ini sudah diajukan.",
                         "An objection to this question was already filed.")
    objection = Objection(answer_id=answer.id, reason=_reason(reason),
                          url=check_link(url) if (url or "").strip() else None,
                          evidence_id=evidence_id, filed_by_id=user_id)
    db.session.add(objection)
    db.session.flush()
    record("saq.objection_filed", object_type="saq_objection", object_id=objection.id,
           competition_id=_competition_id(questionnaire),
           after={"entry_code": entry.code, "question": answer.question.key,
                  "reason": objection.reason})
    return objection


def resolve(objection: Objection, upheld: bool, *, resolution: str, score: Decimal | None,
            resolver_id: int) -> None:
    """Uphold (the score changes) or reject (with a reason) an open objection, audited."""
    questionnaire = objection.answer.response.questionnaire
    if questionnaire.objection_opens_at is None or questionnaire.frozen_at is not None:
        raise Refused("Masa sanggah sudah ditutup; nilai sudah dibekukan.",
                         "Masa sanggah is closed; scores are frozen.")
    if objection.status != "open":
        raise Refused("Sanggahan ini sudah diputus.", "This objection was already decided.")
    text = (resolution or "").strip()[:MAX_REASON]
    if not upheld and not text:
        raise Refused("Tulis alasan penolakan sanggahan.",
                         "Give the reason for rejecting the objection.")
    objection.status = "upheld" if upheld else "rejected"
    objection.resolution = text
    objection.score = score if upheld else None
    objection.resolver_id = resolver_id
    objection.resolved_at = utcnow()
    record("saq.objection_resolved", object_type="saq_objection", object_id=objection.id,
           competition_id=_competition_id(questionnaire),
           after={"status": objection.status, "resolution": text,
                  "score": None if objection.score is None else str(objection.score)})
    entry = objection.answer.response.entry
    for user in entrant_participants([entry.entrant_id]):
        notify.objection_resolved(user, questionnaire.category.competition, entry.entrant.name,
                                  OBJECTION_STATUSES[objection.status], _saq_link(entry))
