"""The one place that turns a category's database rows into ranking-engine inputs.

Counted marks are those of submitted score sheets on submitted entries; declared
conflicts are handed to the engine, which leaves those marks out. Criteria use the
jury area's rubric (criterion id as key), so a juror's own score and the ranking agree.
Where the category's SAQ runs online, the verified SAQ replaces any imported ``nilai_saq``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import selectinload

from judging.extensions import db
from judging.marking.scores import rubric
from judging.models import (
    Category,
    Entry,
    IndicatorValue,
    Mark,
    Scoresheet,
)
from judging.permissions import conflict_pairs
from judging.plugin_setup import methods
from judging.saq.scores import verified_scores
from judging.scoring.method import ScoringMethod
from judging.scoring.types import CategorySettings, CohortEntry, Criterion, JurorMark

SAQ_INDICATOR = "nilai_saq"


@dataclass
class CategoryInputs:
    """Everything ``rank_category`` needs for one category, plus the entries by id."""

    category: Category
    method: ScoringMethod
    settings: CategorySettings
    entries: dict[int, Entry]
    cohort: list[CohortEntry]
    criteria: list[Criterion]
    marks: list[JurorMark]
    conflicts: set[tuple[int, int]]


def settings_of(category: Category) -> CategorySettings:
    """The engine's view of a category's settings."""
    return CategorySettings(
        weights={k: float(v) for k, v in (category.weights or {}).items()},
        aggregation=category.aggregation,
        normalise=category.normalise,
        thresholds={k: float(v) for k, v in (category.thresholds or {}).items()},
        places=category.places,
        required_marks=category.required_marks,
        disagreement_threshold=float(category.disagreement_threshold),
    )


def ranked_entries(category: Category) -> list[Entry]:
    """Submitted entries of the category: drafts and withdrawn entries are never ranked."""
    return list(db.session.scalars(
        select(Entry).options(selectinload(Entry.entrant))
        .where(Entry.category_id == category.id, Entry.status == "submitted")
        .order_by(Entry.id)
    ))


def category_inputs(category: Category) -> CategoryInputs:
    """Load one category's entries, monev values, counted marks and conflicts."""
    method = methods().get(category.method_key)
    entries = {e.id: e for e in ranked_entries(category)}
    ids = list(entries)
    return CategoryInputs(
        category=category,
        method=method,
        settings=settings_of(category),
        entries=entries,
        cohort=_cohort(method, entries, category.id),
        criteria=rubric(category.criteria),
        marks=_marks(category, ids),
        conflicts=conflict_pairs(ids),
    )


def _cohort(method: ScoringMethod, entries: dict[int, Entry], category_id: int
            ) -> list[CohortEntry]:
    values: dict[int, dict[str, float | None]] = {
        i: {ind.key: None for ind in method.indicators} for i in entries
    }
    if entries:
        rows = db.session.execute(
            select(IndicatorValue.entry_id, IndicatorValue.indicator_key, IndicatorValue.value)
            .where(IndicatorValue.entry_id.in_(list(entries)))
        )
        for entry_id, key, value in rows:
            values[entry_id][key] = None if value is None else float(value)
    if entries and any(ind.key == SAQ_INDICATOR for ind in method.indicators):
        for entry_id, score in verified_scores(category_id).items():
            if entry_id in values:
                values[entry_id][SAQ_INDICATOR] = float(score.overall)
    return [CohortEntry(i, e.entrant.name, values[i]) for i, e in entries.items()]


def _marks(category: Category, entry_ids: list[int]) -> list[JurorMark]:
    """Counted marks, read as the stored integers: a category can hold 350,000 of them."""
    if not entry_ids:
        return []
    submitted = select(Entry.id).where(Entry.category_id == category.id,
                                       Entry.status == "submitted")
    unit = 10 ** Mark.value.type.scale
    rows = db.session.execute(
        select(Mark.juror_id, Mark.entry_id, Mark.criterion_id, type_coerce(Mark.value, BigInteger))
        .join(Scoresheet, (Scoresheet.juror_id == Mark.juror_id)
              & (Scoresheet.entry_id == Mark.entry_id))
        .where(Mark.entry_id.in_(submitted),
               Mark.criterion_id.in_([c.id for c in category.criteria]),
               Mark.value.is_not(None), Scoresheet.status == "submitted")
        .order_by(Mark.juror_id, Mark.entry_id, Mark.criterion_id)
    )
    keys = {c.id: str(c.id) for c in category.criteria}
    return [JurorMark(j, e, keys[c], v / unit) for j, e, c, v in rows]

