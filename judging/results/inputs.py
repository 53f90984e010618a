"""The one place that turns a category's database rows into ranking-engine inputs.

Counted marks are those of submitted score sheets on submitted entries; declared
conflicts are handed to the engine, which leaves those marks out. Criteria use the
jury area's rubric (criterion id as key), so a juror's own score and the ranking agree.
Where the category's SAQ runs online, the verified SAQ replaces any imported ``nilai_saq``.
Everything is read as plain rows (no ORM objects): a province-wide category has 5,000
entries and 350,000 marks, and the marks go straight into NumPy columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from sqlalchemy import BigInteger, func, select, true, type_coerce

from judging.extensions import db
from judging.marking.scores import rubric
from judging.models import (
    Answer,
    Category,
    ConflictDeclaration,
    Entrant,
    Entry,
    IndicatorValue,
    Mark,
    Objection,
    SaqResponse,
    Scoresheet,
    Verification,
)
from judging.plugin_setup import methods
from judging.saq.scores import verified_scores
from judging.scoring.method import ScoringMethod
from judging.scoring.types import CategorySettings, CohortEntry, Criterion, MarkColumns


class EntryRef(NamedTuple):
    """What a ranking line shows of an entry besides the engine's numbers."""

    code: str
    entrant_code: str
    name: str

SAQ_INDICATOR = "nilai_saq"


@dataclass
class CategoryInputs:
    """Everything ``rank_category`` needs for one category, plus the entries by id."""

    category: Category
    method: ScoringMethod
    settings: CategorySettings
    entries: dict[int, EntryRef]
    cohort: list[CohortEntry]
    criteria: list[Criterion]
    marks: MarkColumns
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


def _submitted(category: Category):
    return select(Entry.id).where(Entry.category_id == category.id,
                                  Entry.status == "submitted")


def ranked_entries(category: Category) -> dict[int, EntryRef]:
    """Submitted entries of the category by id: drafts and withdrawn entries are never ranked."""
    rows = _rows(
        select(Entry.id, Entry.code, Entrant.code, Entrant.name).join(Entrant)
        .where(Entry.category_id == category.id, Entry.status == "submitted")
        .order_by(Entry.id)
    )
    return {i: EntryRef(code, entrant_code, name) for i, code, entrant_code, name in rows}


def category_inputs(category: Category, entries: dict[int, EntryRef] | None = None
                    ) -> CategoryInputs:
    """Load one category's entries (unless given), monev values, counted marks and conflicts."""
    method = methods().get(category.method_key)
    entries = ranked_entries(category) if entries is None else entries
    return CategoryInputs(
        category=category,
        method=method,
        settings=settings_of(category),
        entries=entries,
        cohort=_cohort(method, category, entries),
        criteria=rubric(category.criteria, method),
        marks=_marks(category) if entries else _no_marks(),
        conflicts=_conflicts(category),
    )


def _rows(statement) -> list:
    """Plain result rows through Core, skipping the ORM's per-row work."""
    return db.session.connection().execute(statement).all()


def _cohort(method: ScoringMethod, category: Category, entries: dict[int, EntryRef]
            ) -> list[CohortEntry]:
    values: dict[int, dict[str, float | None]] = {
        i: {ind.key: None for ind in method.indicators} for i in entries
    }
    if entries:
        unit = 10 ** IndicatorValue.value.type.scale
        rows = _plain_tuples(
            select(IndicatorValue.entry_id, IndicatorValue.indicator_key,
                   type_coerce(IndicatorValue.value, BigInteger))
            .where(IndicatorValue.entry_id.in_(_submitted(category)))
        )
        for entry_id, key, value in rows:  # the stored integer over its unit, as float(Decimal)
            values[entry_id][key] = None if value is None else value / unit
    if entries and any(ind.key == SAQ_INDICATOR for ind in method.indicators):
        for entry_id, score in verified_scores(category.id).items():
            if entry_id in values:
                values[entry_id][SAQ_INDICATOR] = float(score.overall)
    return [CohortEntry(i, e.name, values[i]) for i, e in entries.items()]


def _conflicts(category: Category) -> set[tuple[int, int]]:
    rows = _rows(select(ConflictDeclaration.juror_id, ConflictDeclaration.entry_id)
                 .where(ConflictDeclaration.entry_id.in_(_submitted(category))))
    return {(juror_id, entry_id) for juror_id, entry_id in rows}


def _marks(category: Category) -> MarkColumns:
    """Counted marks, read as the stored integers straight into columns.

    Marks and submitted sheets are read apart and matched in NumPy: joining them in SQL
    costs one index probe per mark.
    """
    import numpy as np

    criteria = sorted(c.id for c in category.criteria)
    rows = _plain_tuples(
        select(Mark.juror_id, Mark.entry_id, Mark.criterion_id, type_coerce(Mark.value, BigInteger))
        .where(Mark.entry_id.in_(_submitted(category)), Mark.value.is_not(None))
    )  # no criterion filter here: SQLite would walk the criterion index, half as fast again
    table = _int_table(rows, 4)
    table = table[np.isin(table[:, 2], criteria)]
    sheets = _int_table(_plain_tuples(
        select(Scoresheet.juror_id, Scoresheet.entry_id)
        .where(Scoresheet.entry_id.in_(_submitted(category)), Scoresheet.status == "submitted")
    ), 2)
    table = table[np.isin(_pair_code(table), _pair_code(sheets))]
    return MarkColumns(
        juror_id=table[:, 0], entry_id=table[:, 1],
        criterion=np.searchsorted(np.array(criteria, np.int64), table[:, 2]),
        value=table[:, 3] / 10 ** Mark.value.type.scale,
        criterion_keys=tuple(str(c) for c in criteria),
    )


def _plain_tuples(statement) -> list[tuple]:
    """The DBAPI's own tuples: for 350,000 marks, wrapping each in a Row costs as much again
    as reading it."""
    result = db.session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _int_table(rows: list, width: int):
    import numpy as np

    return np.fromiter(chain.from_iterable(rows), np.int64, width * len(rows)).reshape(-1, width)


def _pair_code(table):
    """Juror id and entry id (columns 0 and 1) as one number; ids are 32-bit."""
    return table[:, 1] * (1 << 32) + table[:, 0]


def _no_marks() -> MarkColumns:
    import numpy as np

    empty = np.zeros(0, np.int64)
    return MarkColumns(empty, empty, empty, np.zeros(0), ())


def inputs_fingerprint(competition) -> tuple:
    """A summary of everything a competition's ranking is made from (marks, sheets, monev
    values, conflicts): it changes whenever any of them does, so a freeze can tell that its
    inputs moved between reading them and storing the results."""
    entry_ids = (select(Entry.id).join(Category, Entry.category_id == Category.id)
                 .where(Category.competition_id == competition.id))
    return _row_summaries(entry_ids) + _saq_fingerprint(entry_ids)


def category_fingerprint(category: Category) -> tuple:
    """The same summary for one category's ranked entries, with its settings and rubric.

    Every committed insert, update or delete of a counted row moves a count, a version sum,
    a greatest id or a latest time, so a ranking kept under this key is never served stale.
    """
    entry_ids = _submitted(category)
    uses_saq = any(ind.key == SAQ_INDICATOR
                   for ind in methods().get(category.method_key).indicators)
    return (category.method_key, repr(settings_of(category)), repr(rubric(category.criteria)),
            *_row_summaries(entry_ids), *(_saq_fingerprint(entry_ids) if uses_saq else ()))


def _row_summaries(entry_ids) -> tuple:
    stored_value = type_coerce(IndicatorValue.value, BigInteger)
    summaries = (
        (Mark, func.sum(Mark.version), func.max(Mark.id), func.max(Mark.updated_at)),
        (Scoresheet, func.sum(Scoresheet.version), func.max(Scoresheet.updated_at)),
        (IndicatorValue, func.max(IndicatorValue.id), func.max(IndicatorValue.updated_at),
         func.sum(stored_value), func.sum(IndicatorValue.batch_id)),
        (ConflictDeclaration, func.max(ConflictDeclaration.id),
         func.max(ConflictDeclaration.declared_at)),
    )
    return _in_one_statement([
        select(func.count(), *columns).where(model.entry_id.in_(entry_ids))
        for model, *columns in summaries])


def _in_one_statement(summaries: list) -> tuple:
    """Each one-row summary query's row, all read in one statement (one round trip)."""
    parts = [summary.subquery() for summary in summaries]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    row = iter(db.session.execute(
        select(*(column for part in parts for column in part.c)).select_from(joined)).one())
    return tuple(tuple(next(row) for _ in part.c) for part in parts)


def _saq_fingerprint(entry_ids) -> tuple:
    """The online SAQ's share: answers, verifications and objections of the entries."""
    answer_ids = (select(Answer.id).join(SaqResponse, Answer.response_id == SaqResponse.id)
                  .where(SaqResponse.entry_id.in_(entry_ids)))
    summaries = (
        (Answer, Answer.id.in_(answer_ids), func.max(Answer.updated_at)),
        (Verification, Verification.answer_id.in_(answer_ids), func.max(Verification.id),
         func.max(Verification.decided_at)),
        (Objection, Objection.answer_id.in_(answer_ids), func.max(Objection.id),
         func.max(Objection.resolved_at)),
    )
    return _in_one_statement([select(func.count(), *columns).select_from(model).where(condition)
                              for model, condition, *columns in summaries])
