"""A juror's jury score for one entry, computed the way the ranking engine counts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from judging.models import Criterion
from judging.scoring import types
from judging.scoring.ranking import juror_jury_score, to_cent


def rubric(criteria: Sequence[Criterion], method=None) -> list[types.Criterion]:
    """The category's stored criteria as the engine's plain rubric lines; with the ``method``,
    a label still at its default carries the method's English."""
    return [
        types.Criterion(key=str(c.id), weight=float(c.weight), max_mark=float(c.max_mark),
                        label=method.rubric_text(c.key, c.label) if method else c.label)
        for c in criteria
    ]


def juror_score(criteria: Sequence[Criterion], values: Mapping[int, Decimal | None],
                lines: Sequence[types.Criterion] | None = None) -> Decimal | None:
    """0–100 to two decimals, or None while a criterion is unmarked (as the engine).

    ``lines``: the criteria's ``rubric`` when the caller keeps it.
    """
    marks = {str(k): float(v) for k, v in values.items() if v is not None}
    score = juror_jury_score(rubric(criteria) if lines is None else lines, marks)
    return None if score is None else to_cent(score)
