"""A body fills its SAQ: autosave per answer, data dukung per question, submit by the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select

from judging.audit import record
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.files.check import inspect_upload
from judging.io.files.names import display_name
from judging.models import Answer, Entry, Evidence, Question, Questionnaire, SaqResponse
from judging.models.types import utcnow
from judging.refusals import Refused
from judging.saq.links import check_link
from judging.saq.questionnaires import questions_of, spec_of
from judging.saq.refusals import not_found
from judging.scoring.saq import is_answered

MAX_VALUE = 5000
EVIDENCE_PREFIX = "saq:"


@dataclass(frozen=True)
class GroupProgress:
    """How far a body is in one group: answered questions, and those with the evidence asked."""

    key: str
    label: str
    done: int
    total: int


def response_for(entry: Entry, questionnaire: Questionnaire, *, create: bool) -> SaqResponse | None:
    """The body's response to the questionnaire, made on first save when ``create``."""
    response = db.session.scalar(select(SaqResponse).where(
        SaqResponse.entry_id == entry.id, SaqResponse.questionnaire_id == questionnaire.id))
    if response is None and create:
        response = SaqResponse(entry_id=entry.id, questionnaire_id=questionnaire.id)
        db.session.add(response)
        db.session.flush()
    return response


def answers_by_question(response: SaqResponse | None) -> dict[int, Answer]:
    """The response's answers keyed by question id (empty for no response)."""
    if response is None:
        return {}
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    return {a.question_id: a for a in rows}


def fill_lock(questionnaire: Questionnaire, response: SaqResponse | None,
              now: datetime | None = None) -> Refused | None:
    """Why the body cannot change its answers now, or None while it can."""
    now = now or utcnow()
    if not questionnaire.locked:
        return Refused("SAQ belum dibuka oleh penyelenggara.",
                          "The organizer has not opened the SAQ yet.")
    if response is not None and response.status == "submitted":
        return Refused("SAQ sudah dikirim; jawaban hanya dapat dilihat.",
                          "The SAQ has been submitted; answers are read-only.")
    if questionnaire.category.competition.phase != "open":
        return Refused("Masa pengisian SAQ sudah ditutup.", "SAQ filling is closed.")
    deadline = questionnaire.deadline_for(response)
    if deadline is not None and now > deadline:
        return Refused("Batas waktu pengisian SAQ sudah lewat.",
                          "The SAQ deadline has passed.")
    return None


def _editable(entry: Entry, question: Question) -> tuple[SaqResponse, Answer]:
    questionnaire = question.group.questionnaire
    if questionnaire.category_id != entry.category_id:
        raise not_found()
    response = response_for(entry, questionnaire, create=False)
    refusal = fill_lock(questionnaire, response)
    if refusal:
        raise refusal
    response = response or response_for(entry, questionnaire, create=True)
    answer = db.session.scalar(select(Answer).where(Answer.response_id == response.id,
                                                    Answer.question_id == question.id))
    if answer is None:
        answer = Answer(response_id=response.id, question_id=question.id)
        db.session.add(answer)
    return response, answer


def save_value(entry: Entry, question: Question, value: str) -> Answer:
    """Autosave one answer; an empty value clears it. Raises Refused."""
    text = (value or "").strip()
    if len(text) > MAX_VALUE:
        raise Refused(f"Jawaban paling panjang {MAX_VALUE} karakter.",
                         f"An answer holds at most {MAX_VALUE} characters.")
    if text and not is_answered(spec_of(question), text):
        raise Refused("Jawaban tidak sesuai jenis pertanyaan (mis. persen 0–100).",
                         "The answer does not fit the question (e.g. a percent 0–100).")
    _, answer = _editable(entry, question)
    answer.value = text or None
    answer.updated_at = utcnow()
    db.session.flush()
    return answer


def save_link(entry: Entry, question: Question, url: str) -> Answer:
    """Keep a checked https link as the question's data dukung."""
    if question.evidence_rule not in ("url", "either"):
        raise Refused("Pertanyaan ini meminta berkas, bukan tautan.",
                         "This question asks for a file, not a link.")
    clean = check_link(url)
    _, answer = _editable(entry, question)
    answer.url = clean
    answer.updated_at = utcnow()
    db.session.flush()
    return answer


def save_file(entry: Entry, question: Question, stream: BinaryIO, name: str,
              *, user_id: int) -> Answer:
    """Check the file by content (kinds and size limit of the questionnaire) and store it."""
    if question.evidence_rule not in ("file", "either"):
        raise Refused("Pertanyaan ini meminta tautan, bukan berkas.",
                         "This question asks for a link, not a file.")
    _editable(entry, question)  # refuse before reading the file when the SAQ is closed
    evidence = store_evidence(entry, question.group.questionnaire, stream, name,
                              requirement=f"{EVIDENCE_PREFIX}{question.id}", user_id=user_id)
    _, answer = _editable(entry, question)
    old = answer.evidence
    answer.evidence_id = evidence.id
    answer.updated_at = utcnow()
    if old is not None:
        db.session.delete(old)
    db.session.flush()
    return answer


def store_evidence(entry: Entry, questionnaire: Questionnaire, stream: BinaryIO, name: str, *,
                   requirement: str, user_id: int) -> Evidence:
    """Check a file by content against the questionnaire's kinds and limit, store it, add a row."""
    checked = inspect_upload(stream, allowed_kinds=tuple(questionnaire.evidence_kinds or ["pdf"]),
                             max_bytes=questionnaire.evidence_max_bytes)
    key = evidence_store().put(stream)
    if key != checked.sha256:
        raise RuntimeError("upload changed between check and store")
    evidence = Evidence(entry_id=entry.id, kind="file", storage_key=key,
                        original_name=display_name(name), mime=checked.mime,
                        file_kind=checked.kind, size=checked.size, requirement=requirement,
                        uploaded_by_id=user_id)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def has_evidence(question: Question, answer: Answer | None) -> bool:
    """The answer carries the data dukung the question asks for."""
    rule = question.evidence_rule
    if rule == "none":
        return True
    if answer is None:
        return False
    return bool((rule in ("file", "either") and answer.evidence_id)
                or (rule in ("url", "either") and answer.url))


def complete(question: Question, answer: Answer | None) -> bool:
    """Answered in the question's type and backed by the evidence it asks for."""
    return (answer is not None and is_answered(spec_of(question), answer.value)
            and has_evidence(question, answer))


def progress(questions: list[Question], answers: dict[int, Answer]) -> list[GroupProgress]:
    """Complete questions per group, in page order."""
    out: dict[str, list] = {}
    for q in questions:
        row = out.setdefault(q.group.key, [q.group.label, 0, 0])
        row[1] += complete(q, answers.get(q.id))
        row[2] += 1
    return [GroupProgress(k, label, done, total) for k, (label, done, total) in out.items()]


def submit(entry: Entry, questionnaire: Questionnaire) -> SaqResponse:
    """Submit a complete SAQ by the deadline; it is read-only afterwards."""
    response = response_for(entry, questionnaire, create=False)
    refusal = fill_lock(questionnaire, response)
    if refusal:
        raise refusal
    if response is None:
        raise Refused("SAQ belum diisi.", "The SAQ has not been filled in.")
    questions = questions_of(questionnaire)
    answers = answers_by_question(response)
    missing = sum(not complete(q, answers.get(q.id)) for q in questions)
    if missing:
        raise Refused(f"Masih ada {missing} pertanyaan yang belum lengkap (jawaban atau "
                         "data dukung).",
                         f"{missing} questions are still incomplete (answer or evidence).")
    response.status = "submitted"
    response.submitted_at = utcnow()
    record("saq.submitted", object_type="saq_response", object_id=response.id,
           competition_id=entry.category.competition_id,
           after={"entry_code": entry.code, "questions": len(questions)})
    return response


def own_question(questionnaire: Questionnaire, question_id: int) -> Question:
    """A question of this questionnaire, or a refusal (never another category's question)."""
    question = db.session.get(Question, question_id)
    if question is None or question.questionnaire_id != questionnaire.id:
        raise not_found()
    return question
