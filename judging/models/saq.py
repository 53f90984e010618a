"""The KIP self-assessment questionnaire (SAQ): questions, answers, verification, objections."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from judging.extensions import db
from judging.models.types import ScaledDecimal, UTCDateTime, utcnow

ANSWER_TYPES = ("yes_no", "choice", "number", "percent", "text")
EVIDENCE_RULES = ("none", "file", "url", "either")
RESPONSE_STATUSES = ("draft", "submitted")
DECISIONS = ("accepted", "adjusted", "rejected")
OBJECTION_STATUSES = ("open", "upheld", "rejected")
DEFAULT_EVIDENCE_BYTES = 2 * 1024 * 1024


class Questionnaire(db.Model):
    """One version of a category's SAQ, with its filling deadline and masa sanggah window."""

    __tablename__ = "saq_questionnaires"
    __table_args__ = (UniqueConstraint("category_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    locked: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evidence_max_bytes: Mapped[int] = mapped_column(default=DEFAULT_EVIDENCE_BYTES)
    evidence_kinds: Mapped[list] = mapped_column(JSON, default=lambda: ["pdf"])
    objection_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    objection_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category = relationship("Category")
    groups: Mapped[list[QuestionGroup]] = relationship(
        back_populates="questionnaire", order_by="QuestionGroup.position",
        cascade="all, delete-orphan",
    )

    def deadline_for(self, response: SaqResponse | None) -> datetime | None:
        """The last moment (grace included) this body may still submit."""
        competition = self.category.competition
        base = (response.deadline_override if response and response.deadline_override
                else self.deadline or competition.submission_deadline)
        if base is None:
            return None
        return base + timedelta(minutes=competition.grace_minutes or 0)

    def objections_open(self, now: datetime | None = None) -> bool:
        """Masa sanggah: bodies may file objections."""
        now = now or utcnow()
        return (self.objection_opens_at is not None and self.frozen_at is None
                and self.objection_opens_at <= now
                and (self.objection_closes_at is None or now <= self.objection_closes_at))


class QuestionGroup(db.Model):
    """An aspect of the SAQ (e.g. kualitas informasi): ranked and awarded on its own."""

    __tablename__ = "saq_groups"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("saq_questionnaires.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="groups")
    questions: Mapped[list[Question]] = relationship(
        back_populates="group", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """One SAQ question: weight, answer type (options carry scores), evidence rule, help."""

    __tablename__ = "saq_questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("saq_questionnaires.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("saq_groups.id", ondelete="CASCADE"),
                                          index=True)
    key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=Decimal("1"))
    answer_type: Mapped[str] = mapped_column(String(20), default="yes_no")
    options: Mapped[list] = mapped_column(JSON, default=list)  # [{"label": .., "score": 0..100}]
    target: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # number: full credit at
    evidence_rule: Mapped[str] = mapped_column(String(10), default="either")
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[QuestionGroup] = relationship(back_populates="questions")
    questionnaire: Mapped[Questionnaire] = relationship(overlaps="questions")


class SaqResponse(db.Model):
    """One body's SAQ for its entry: draft until submitted, then read-only."""

    __tablename__ = "saq_responses"
    __table_args__ = (UniqueConstraint("entry_id", "questionnaire_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"),
                                          index=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("saq_questionnaires.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_override: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    entry = relationship("Entry")
    questionnaire: Mapped[Questionnaire] = relationship()


class Answer(db.Model):
    """A body's answer to one question, with its data dukung (a stored file or a link)."""

    __tablename__ = "saq_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("saq_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("saq_questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL")
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    response: Mapped[SaqResponse] = relationship()
    question: Mapped[Question] = relationship()
    evidence = relationship("Evidence")


class Verification(db.Model):
    """A verifier's decision on one answer: accepted, adjusted or rejected, with a reason."""

    __tablename__ = "saq_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("saq_answers.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    score: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # adjusted: % of the question
    reason: Mapped[str] = mapped_column(Text, default="")
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped[Answer] = relationship()
    verifier = relationship("User")


class Objection(db.Model):
    """A body's objection to one verified answer in masa sanggah, and how it was resolved."""

    __tablename__ = "saq_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("saq_answers.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL")
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # upheld: % of the question
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answer: Mapped[Answer] = relationship()
    evidence = relationship("Evidence")
