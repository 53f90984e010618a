"""Questionnaires: imported from and exported to the Excel template, versioned, locked, copied."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from judging.audit import record
from judging.extensions import db
from judging.io.saq.workbook import SaqRow
from judging.models import Category, Question, QuestionGroup, Questionnaire, SaqResponse
from judging.refusals import Refused
from judging.scoring.saq import QuestionSpec


def current_questionnaire(category_id: int) -> Questionnaire | None:
    """The newest version of the category's questionnaire (the one bodies fill)."""
    return db.session.scalar(
        select(Questionnaire).where(Questionnaire.category_id == category_id)
        .order_by(Questionnaire.version.desc()).limit(1)
    )


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    """Every question in page order (group, then position), groups loaded."""
    return list(db.session.scalars(
        select(Question).join(QuestionGroup)
        .where(Question.questionnaire_id == questionnaire.id)
        .options(selectinload(Question.group))
        .order_by(QuestionGroup.position, Question.position)
    ))


def spec_of(question: Question) -> QuestionSpec:
    """The plain values scoring needs."""
    options = tuple((str(o["label"]), float(o["score"])) for o in question.options or ())
    target = float(question.target) if question.target is not None else None
    return QuestionSpec(question.key, question.group.key, float(question.weight),
                        question.answer_type, options, target)


def import_rows(category: Category, rows: list[SaqRow], *, title: str) -> Questionnaire:
    """Replace an unlocked questionnaire's questions, or start a new version after a locked one."""
    if not rows:
        raise Refused("Templat tidak berisi pertanyaan.", "The template holds no questions.")
    current = current_questionnaire(category.id)
    if current is not None and current.locked and _has_responses(current):
        version = current.version + 1
    elif current is not None and not current.locked:
        version = current.version
        db.session.delete(current)
        db.session.flush()
    else:
        version = (current.version + 1) if current else 1
    questionnaire = Questionnaire(category_id=category.id, version=version,
                                  title=title.strip()[:200] or category.name)
    db.session.add(questionnaire)
    _fill(questionnaire, rows)
    db.session.flush()
    record("saq.questionnaire_imported", object_type="saq_questionnaire",
           object_id=questionnaire.id, competition_id=category.competition_id,
           after={"category_id": category.id, "version": version, "questions": len(rows)})
    return questionnaire


def _has_responses(questionnaire: Questionnaire) -> bool:
    return bool(db.session.scalar(select(func.count(SaqResponse.id))
                                  .where(SaqResponse.questionnaire_id == questionnaire.id)))


def _fill(questionnaire: Questionnaire, rows: list[SaqRow]) -> None:
    groups: dict[str, QuestionGroup] = {}
    for row in rows:
        group = groups.get(row.group_key)
        if group is None:
            group = QuestionGroup(key=row.group_key, label=row.group_label[:200],
                                  position=len(groups))
            groups[row.group_key] = group
            questionnaire.groups.append(group)
        group.questions.append(Question(
            questionnaire=questionnaire, key=row.key, text=row.text, help_text=row.help_text,
            weight=Decimal(str(row.weight)), answer_type=row.answer_type,
            options=[{"label": label, "score": score} for label, score in row.options],
            target=None if row.target is None else Decimal(str(row.target)),
            evidence_rule=row.evidence_rule, position=len(group.questions),
        ))


def rows_of(questionnaire: Questionnaire) -> list[SaqRow]:
    """The questionnaire as template rows, for export or for copying."""
    return [
        SaqRow(q.group.key, q.group.label, q.key, q.text, float(q.weight), q.answer_type,
               tuple((o["label"], float(o["score"])) for o in q.options or ()),
               None if q.target is None else float(q.target), q.evidence_rule, q.help_text)
        for q in questions_of(questionnaire)
    ]


def lock(questionnaire: Questionnaire) -> None:
    """Lock the questions: the SAQ opens for filling and no question changes afterwards."""
    if questionnaire.locked:
        return
    if not questions_of(questionnaire):
        raise Refused("Kuesioner belum punya pertanyaan.", "The questionnaire has no questions.")
    questionnaire.locked = True
    record("saq.questionnaire_locked", object_type="saq_questionnaire",
           object_id=questionnaire.id, competition_id=questionnaire.category.competition_id)


def copy_questionnaire(questionnaire: Questionnaire, category: Category) -> Questionnaire:
    """Copy the questions into another category (e.g. next year's), unlocked, as version 1."""
    copy = Questionnaire(category_id=category.id, version=1, title=questionnaire.title,
                         evidence_max_bytes=questionnaire.evidence_max_bytes,
                         evidence_kinds=list(questionnaire.evidence_kinds or ["pdf"]))
    db.session.add(copy)
    _fill(copy, rows_of(questionnaire))
    db.session.flush()
    return copy


MAX_EVIDENCE_MB = 20


def update_settings(questionnaire: Questionnaire, *, deadline, evidence_mb: float) -> None:
    """Set the SAQ's own deadline (None: the competition's) and the per-question file limit."""
    if not 0.1 <= evidence_mb <= MAX_EVIDENCE_MB:
        raise Refused(f"Batas ukuran data dukung 0,1–{MAX_EVIDENCE_MB} MB.",
                         f"The evidence size limit must be 0.1–{MAX_EVIDENCE_MB} MB.")
    before = {"deadline": _iso(questionnaire.deadline),
              "evidence_max_bytes": questionnaire.evidence_max_bytes}
    questionnaire.deadline = deadline
    questionnaire.evidence_max_bytes = int(evidence_mb * 1024 * 1024)
    record("saq.settings_changed", object_type="saq_questionnaire", object_id=questionnaire.id,
           competition_id=questionnaire.category.competition_id, before=before,
           after={"deadline": _iso(deadline),
                  "evidence_max_bytes": questionnaire.evidence_max_bytes})


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
