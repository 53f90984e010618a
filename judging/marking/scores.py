"""A juror's jury score for one entry, computed the way the ranking engine counts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from judging.models import Criterion
from judging.scoring import types
from judging.scoring.ranking import juror_jury_score, to_cent


def rubric(criteria: Sequence[Criterion]) -> list[types.Criterion]:
    """The category's stored criteria as the engine's plain rubric lines."""
    return [
        types.Criterion(key=str(c.id), label=c.label, weight=float(c.weight),
                        max_mark=float(c.max_mark))
        for c in criteria
    ]


def juror_score(criteria: Sequence[Criterion], values: Mapping[int, Decimal | None]
                ) -> Decimal | None:
    """0–100 to two decimals, or None while a criterion is unmarked (as the engine)."""
    marks = {str(k): float(v) for k, v in values.items() if v is not None}
    score = juror_jury_score(rubric(criteria), marks)
    return None if score is None else to_cent(score)
