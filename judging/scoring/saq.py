"""SAQ arithmetic: a question's credit from its answer, then verified scores by weight.

Plain data in and out (no Flask, no database) so a body's verified SAQ can be recomputed
from a notebook. A question's *credit* is 0–100 % of its weight; a group's score and the
overall score are Σ weight × credit ÷ Σ weight, rounded to 0.01 half up like the ranking.

The verified credit of an answer: an upheld objection's score wins; otherwise the
verifier's decision (accepted → the self-assessed credit, adjusted → the verifier's
score, rejected → 0); an answer nobody verified yet counts 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from judging.scoring.ranking import cents, to_cent

YES = frozenset({"yes", "ya", "y", "1", "true"})
NO = frozenset({"no", "tidak", "t", "n", "0", "false"})


@dataclass(frozen=True)
class QuestionSpec:
    """What scoring needs of a question; options are (label, score 0–100) pairs."""

    key: str
    group: str
    weight: float
    answer_type: str
    options: tuple[tuple[str, float], ...] = ()
    target: float | None = None


@dataclass(frozen=True)
class AnswerState:
    """A body's answer with its verification and objection outcome, as plain values."""

    value: str | None
    decision: str | None = None  # accepted | adjusted | rejected | None (not verified)
    verified_score: float | None = None  # adjusted: % of the question
    objection: str | None = None  # open | upheld | rejected | None
    objection_score: float | None = None  # upheld: % of the question


@dataclass(frozen=True)
class SaqScore:
    """A body's SAQ: overall and per group (key → score), each 0–100 to two decimals."""

    overall: Decimal
    groups: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class AspectRank:
    """One line of a per-aspect ranking."""

    entry_id: int
    name: str
    rank: int
    score: Decimal


def _number(value: str | None) -> float | None:
    text = (value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(Decimal(text))
    except InvalidOperation:
        return None
    return number if number == number and abs(number) != float("inf") else None


def is_answered(question: QuestionSpec, value: str | None) -> bool:
    """Whether ``value`` is a complete answer of the question's type."""
    text = (value or "").strip()
    if question.answer_type == "yes_no":
        return text.lower() in YES | NO
    if question.answer_type == "choice":
        return text.isdigit() and int(text) < len(question.options)
    if question.answer_type in ("number", "percent"):
        number = _number(text)
        return number is not None and number >= 0 and (
            question.answer_type == "number" or number <= 100)
    return bool(text)


def self_credit(question: QuestionSpec, value: str | None) -> float:
    """The credit (0–100 %) the answer claims before verification; 0 if incomplete."""
    if not is_answered(question, value):
        return 0.0
    text = (value or "").strip()
    kind = question.answer_type
    if kind == "yes_no":
        return 100.0 if text.lower() in YES else 0.0
    if kind == "choice":
        return float(question.options[int(text)][1])
    if kind == "percent":
        return _number(text)
    if kind == "number":
        target = question.target or 0
        return 100.0 if target <= 0 else min(_number(text) / target, 1.0) * 100
    return 100.0


def verified_credit(question: QuestionSpec, answer: AnswerState | None) -> float:
    """The credit after verification and masa sanggah (0 while unverified)."""
    if answer is None:
        return 0.0
    if answer.objection == "upheld":
        if answer.objection_score is not None:
            return _clamp(answer.objection_score)
        return self_credit(question, answer.value)
    if answer.decision == "accepted":
        return self_credit(question, answer.value)
    if answer.decision == "adjusted":
        return _clamp(answer.verified_score or 0.0)
    return 0.0


def _clamp(value: float) -> float:
    return min(max(float(value), 0.0), 100.0)


def saq_score(questions: Iterable[QuestionSpec], answers: Mapping[str, AnswerState], *,
              verified: bool = True) -> SaqScore:
    """Weighted SAQ per group and overall; ``verified=False`` scores the self-assessment."""
    totals: dict[str, list[float]] = {}
    for q in questions:
        answer = answers.get(q.key)
        credit = (verified_credit(q, answer) if verified
                  else self_credit(q, answer.value if answer else None))
        sums = totals.setdefault(q.group, [0.0, 0.0])
        sums[0] += q.weight * credit
        sums[1] += q.weight
    groups = {g: to_cent(s / w if w else 0.0) for g, (s, w) in totals.items()}
    points = sum(s for s, _ in totals.values())
    weight = sum(w for _, w in totals.values())
    return SaqScore(to_cent(points / weight if weight else 0.0), groups)


def rank_by_score(rows: Iterable[tuple[int, str, float]]) -> list[AspectRank]:
    """Rank (entry id, name, score) rows: equal scores to the cent share a rank (1, 2, 2, 4)
    and are listed by name, as in the main ranking; input order never matters."""
    items = list(rows)
    whole = cents([score for _, _, score in items]).tolist() if items else []
    ordered = sorted(zip(whole, items, strict=True),
                     key=lambda p: (-p[0], p[1][1].casefold(), p[1][1], p[1][0]))
    ranked, previous, rank = [], None, 0
    for position, (value, (entry_id, name, _)) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranked.append(AspectRank(entry_id, name, rank, Decimal(value).scaleb(-2)))
    return ranked
