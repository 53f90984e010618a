"""The one place that turns a category's database rows into ranking-engine inputs.

Counted marks are those of submitted score sheets on submitted entries; declared
conflicts are handed to the engine, which leaves those marks out. Criteria use the
jury area's rubric (criterion id as key), so a juror's own score and the ranking agree.
Where the category's SAQ runs online, the verified SAQ replaces any imported ``nilai_saq``.
Everything is read as plain rows (no ORM objects): a province-wide category has 5,000
entries and 350,000 marks, and the marks go straight into NumPy columns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    bindparam,
    cast,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
    type_coerce,
)

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
from judging.models import Criterion as StoredCriterion
from judging.models.types import utcnow
from judging.plugin_setup import methods
from judging.saq.scores import verified_scores
from judging.scoring.method import ScoringMethod
from judging.scoring.types import CategorySettings, CohortEntry, Criterion, MarkColumns
from judging.unchanged import read_unless_changed


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
    mark_rows: Any = None  # every stored mark of the entries (see ``mark_rows``), kept to update
    sheets: Any = None  # the submitted sheets as sorted pair codes (entry × 2³² + juror)
    counted: Any = None  # which ``mark_rows`` count: a value, a rubric criterion, a submitted sheet


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
    """Submitted entries of the category by id: drafts and withdrawn entries are never ranked.

    Every live ranking page keys its kept result on these, so they are read with a statement
    built once (the category bound) straight off the driver's tuples, and not again while the
    database is unchanged.
    """
    return read_unless_changed(db.session, ("ranked_entries", category.id),
                               lambda: _ranked_entries(category.id))


def _ranked_entries(category_id: int) -> dict[int, EntryRef]:
    result = db.session.connection().execute(_RANKED_ENTRIES, {"category_id": category_id})
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return {row[0]: EntryRef(row[1], row[2], row[3]) for row in rows}


_RANKED_ENTRIES = (
    select(Entry.id, Entry.code, Entrant.code, Entrant.name).join(Entrant)
    .where(Entry.category_id == bindparam("category_id"), Entry.status == "submitted")
    .order_by(Entry.id)
)


def category_inputs(category: Category, entries: dict[int, EntryRef] | None = None,
                    rows=None, kept: CategoryInputs | None = None,
                    same: frozenset[str] = frozenset()) -> CategoryInputs:
    """Load one category's entries (unless given), monev values, counted marks and conflicts.

    ``rows`` are the category's stored marks when the caller already has them up to date.
    ``kept`` are inputs read before for the same entries and settings, of which the parts
    named in ``same`` ("sheets", "monev", "conflicts": their summaries did not move) are
    reused rather than read again.
    """
    method = methods().get(category.method_key)
    entries = ranked_entries(category) if entries is None else entries
    if not entries:
        return CategoryInputs(category, method, settings_of(category), entries, [],
                              rubric(category.criteria, method), _no_marks(),
                              _conflicts(category))
    kept = kept if kept is not None and kept.mark_rows is not None else None
    reused = same if kept is not None else frozenset()
    if rows is None:
        rows = mark_rows(category)
    sheets = kept.sheets if "sheets" in reused else _sheet_codes(category)
    counted, marks = _counted_marks(category, rows, sheets,
                                    kept if "sheets" in reused else None)
    return CategoryInputs(
        category=category,
        method=method,
        settings=settings_of(category),
        entries=entries,
        cohort=((_named(kept.cohort, entries) if "monev" in reused else None)
                or _cohort(method, category, entries)),
        criteria=rubric(category.criteria, method),
        marks=marks,
        conflicts=kept.conflicts if "conflicts" in reused else _conflicts(category),
        mark_rows=rows, sheets=sheets, counted=counted,
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
        # the stored integer over its unit, as float(Decimal)
        for entry_id, key, value in _monev_rows(category):
            values[entry_id][key] = None if value is None else value / unit
    if entries and any(ind.key == SAQ_INDICATOR for ind in method.indicators):
        for entry_id, score in verified_scores(category.id).items():
            if entry_id in values:
                values[entry_id][SAQ_INDICATOR] = float(score.overall)
    return [CohortEntry(i, e.name, values[i]) for i, e in entries.items()]


def _monev_rows(category: Category) -> list[tuple]:
    """(entry id, indicator key, stored integer) of the ranked entries' monev values."""
    return _plain_tuples(
        select(IndicatorValue.entry_id, IndicatorValue.indicator_key,
               type_coerce(IndicatorValue.value, BigInteger))
        .where(IndicatorValue.entry_id.in_(_submitted(category)))
    )


def _named(cohort: list[CohortEntry], entries: dict[int, EntryRef]
           ) -> list[CohortEntry] | None:
    """Monev values read before, under the entries' names of now (None: other entries)."""
    if [c.entry_id for c in cohort] != list(entries):
        return None
    return [c if c.name == entries[c.entry_id].name
            else CohortEntry(c.entry_id, entries[c.entry_id].name, c.indicators) for c in cohort]


def _conflicts(category: Category) -> set[tuple[int, int]]:
    rows = _rows(select(ConflictDeclaration.juror_id, ConflictDeclaration.entry_id)
                 .where(ConflictDeclaration.entry_id.in_(_submitted(category))))
    return {(juror_id, entry_id) for juror_id, entry_id in rows}


NO_VALUE = -(1 << 62)  # a mark row whose value is empty (NULL)
ROW_ID, ROW_PAIR, ROW_CRITERION, ROW_VALUE, ROW_VERSION = range(5)


def mark_rows(category: Category, since: tuple | None = None):
    """Every stored mark of the ranked entries as integer rows, by id: (id, entry × 2³² +
    juror, criterion id, stored value or ``NO_VALUE``, version). With ``since`` (greatest id,
    latest time) only the marks added or changed since, to update rows read before.
    """
    import numpy as np

    condition = Mark.entry_id.in_(_submitted(category))
    if since is not None:  # by the id and time indexes; other entries' marks dropped after
        condition = or_(Mark.id > since[0], Mark.updated_at >= since[1])
    table = _int_table(_plain_tuples(
        # 64-bit arithmetic: PostgreSQL would compute an INTEGER column's product in 32 bits
        select(Mark.id, cast(Mark.entry_id, BigInteger) * literal(1 << 32, BigInteger)
               + Mark.juror_id, Mark.criterion_id,
               func.coalesce(type_coerce(Mark.value, BigInteger), NO_VALUE), Mark.version)
        .where(condition)
    ), 5)  # no criterion filter here: SQLite would walk the criterion index, half as fast again
    return table[np.argsort(table[:, ROW_ID], kind="stable")]


def updated_mark_rows(category: Category, rows, kept: tuple, now: tuple, entry_ids: list[int]):
    """Rows read under marks summary ``kept`` (see ``category_fingerprint``) brought up to
    ``now`` by reading only the marks written since to the ranked ``entry_ids`` (the same as
    when ``rows`` were read): ``rows`` itself when none of theirs moved, or None when that
    cannot be trusted (a mark deleted, a write without a new time): then the caller reads
    them all again.

    The merged rows must match the summary's count and version sum of now.
    """
    import numpy as np

    if rows is None or not len(rows) or None in kept or now[0] is None:
        return None
    changed = mark_rows(category, since=kept[1:])
    changed = changed[np.isin(changed[:, ROW_PAIR] >> 32, entry_ids)]  # the ranked entries'

    merged = rows
    if len(changed):
        at = np.minimum(np.searchsorted(rows[:, ROW_ID], changed[:, ROW_ID]), len(rows) - 1)
        known = rows[at, ROW_ID] == changed[:, ROW_ID]
        if not known.all() or (rows[at] != changed).any():
            merged = rows.copy()
            merged[at[known]] = changed[known]
            if not known.all():
                merged = np.concatenate([merged, changed[~known]])
                merged = merged[np.argsort(merged[:, ROW_ID], kind="stable")]
    if len(merged) * VERSION_SPAN + int(merged[:, ROW_VERSION].sum()) != int(now[0]):
        return None
    return merged


def _sheet_codes(category: Category):
    """The submitted sheets of the ranked entries as sorted pair codes. Marks and submitted
    sheets are read apart and matched in NumPy: joining them in SQL costs one index probe
    per mark."""
    import numpy as np

    sheets = _int_table(_plain_tuples(
        select(Scoresheet.juror_id, Scoresheet.entry_id)
        .where(Scoresheet.entry_id.in_(_submitted(category)), Scoresheet.status == "submitted")
    ), 2)
    return np.sort(_pair_code(sheets))


def _counted_marks(category: Category, rows, sheets, kept: CategoryInputs | None = None):
    """Which rows count (a value, a criterion of the rubric, a submitted sheet) and the
    engine's columns of those. With ``kept`` (the same sheets and rubric) only the rows that
    differ from its rows are judged again, and when the same marks count, only their values
    are replaced: a juror's save changes a few of 350,000."""
    import numpy as np

    criteria = np.array(sorted(c.id for c in category.criteria), np.int64)
    if kept is None or kept.counted is None or len(kept.mark_rows) != len(rows):
        counted = _counts(rows, criteria, sheets)
        return counted, _marks(category, rows, counted)
    if rows is kept.mark_rows and kept.marks is not None:
        return kept.counted, kept.marks
    at = np.flatnonzero((rows != kept.mark_rows).any(axis=1))
    if not np.array_equal(rows[at, :ROW_VALUE], kept.mark_rows[at, :ROW_VALUE]):
        counted = _counts(rows, criteria, sheets)  # other marks at these places: judge all
        return counted, _marks(category, rows, counted)
    now = _counts(rows[at], criteria, sheets)
    if kept.marks is not None and np.array_equal(now, kept.counted[at]):
        place = (np.cumsum(kept.counted) - 1)[at[now]]  # their places among counted marks
        value = kept.marks.value.copy()
        value[place] = rows[at[now], ROW_VALUE] / 10 ** Mark.value.type.scale
        return kept.counted, replace(kept.marks, value=value)
    counted = kept.counted.copy()
    counted[at] = now
    return counted, _marks(category, rows, counted)


def _counts(rows, criteria, sheets):
    import numpy as np

    return ((rows[:, ROW_VALUE] != NO_VALUE) & np.isin(rows[:, ROW_CRITERION], criteria)
            & np.isin(rows[:, ROW_PAIR], sheets))


def _marks(category: Category, rows, counted) -> MarkColumns:
    """The counted rows as the engine's columns."""
    import numpy as np

    criteria = sorted(c.id for c in category.criteria)
    rows = rows[counted]
    position = np.zeros(max(criteria, default=0) + 1, np.int64)  # criterion id -> its place
    position[criteria] = np.arange(len(criteria))
    pairs = rows[:, ROW_PAIR]
    return MarkColumns(
        juror_id=pairs & 0xFFFFFFFF, entry_id=pairs >> 32,
        criterion=position[rows[:, ROW_CRITERION]],
        value=rows[:, ROW_VALUE] / 10 ** Mark.value.type.scale,
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


# Positions in a category fingerprint: the marks' summary (the version sum plus 2³² a mark,
# greatest id and latest time of all marks), the sheets', the monev values', the conflicts',
# then the online SAQ's.
MARK_SUMMARY, SHEET_SUMMARY, MONEV_SUMMARY, CONFLICT_SUMMARY, SAQ_SUMMARY = range(3, 8)
VERSION_SPAN = 1 << 32  # a mark adds this to the summed versions: the count and sum in one


def category_fingerprint(category: Category) -> tuple:
    """The same summary for one category's ranked entries, with its settings and rubric.

    Every committed insert, update or delete of a counted row moves a count, a version sum,
    a greatest id or a latest time, so a ranking kept under this key is never served stale.
    The marks' greatest id and latest time are of every category's (two index lookups): a
    save elsewhere moves them too, and the kept ranking finds nothing of its own written since.
    Their count and version sum are one sum over the category's marks (350,000 at province
    scale), the largest part of reading this key.
    """
    uses_saq = any(ind.key == SAQ_INDICATOR
                   for ind in methods().get(category.method_key).indicators)
    summaries = read_unless_changed(  # no commit anywhere since the last page: the same rows
        db.session, ("category_fingerprint", category.id, uses_saq),
        lambda: _read(_category_statement(uses_saq), {"category_id": category.id}))
    return (category.method_key, repr(settings_of(category)), repr(_rubric_rows(category)),
            *summaries)


def _rubric_rows(category: Category) -> tuple:
    """The category's criteria as the engine's rubric is made of them (id, key, weight,
    greatest mark, label, in order): from the criteria when loaded, else as plain rows, read
    once while the database is unchanged."""
    if "criteria" not in inspect(category).unloaded:
        return _rubric_key((c.id, c.key, c.weight, c.max_mark, c.label) for c in category.criteria)
    return read_unless_changed(db.session, ("rubric", category.id), lambda: _rubric_key(
        db.session.execute(_RUBRIC, {"category_id": category.id})))


def _rubric_key(rows) -> tuple:
    """Numbers as the engine takes them, so loaded and read criteria give the same key."""
    return tuple((i, key, float(weight), float(top), label) for i, key, weight, top, label in rows)


_RUBRIC = (
    select(StoredCriterion.id, StoredCriterion.key, StoredCriterion.weight,
           StoredCriterion.max_mark, StoredCriterion.label)
    .where(StoredCriterion.category_id == bindparam("category_id"))
    .order_by(StoredCriterion.position, StoredCriterion.id)
)


@functools.cache
def _category_statement(uses_saq: bool) -> tuple:
    """The category fingerprint's one statement (the SAQ's summaries joined in where the
    method has one), built once: the category is bound, so a page pays neither building it
    nor keying it for the statement cache again."""
    entry_ids = select(Entry.id).where(Entry.category_id == bindparam("category_id"),
                                       Entry.status == "submitted")
    marks = select(
        func.sum(cast(Mark.version, BigInteger) + literal(VERSION_SPAN, BigInteger)),
        select(func.max(Mark.id)).correlate(None).scalar_subquery(),
        select(func.max(Mark.updated_at)).correlate(None).scalar_subquery(),
    ).where(Mark.entry_id.in_(entry_ids))
    return _joined([marks, *_summaries(entry_ids)[1:],
                    *(_saq_summaries(entry_ids) if uses_saq else ())])


def _row_summaries(entry_ids) -> tuple:
    return _in_one_statement(_summaries(entry_ids))


def _summaries(entry_ids) -> list:
    """One-row summaries of the marks, sheets, monev values and conflicts of the entries."""
    stored_value = type_coerce(IndicatorValue.value, BigInteger)
    summaries = (
        (Mark, func.sum(Mark.version), func.max(Mark.id), func.max(Mark.updated_at)),
        (Scoresheet, func.sum(Scoresheet.version), func.max(Scoresheet.updated_at)),
        (IndicatorValue, func.max(IndicatorValue.id), func.max(IndicatorValue.updated_at),
         func.sum(stored_value), func.sum(IndicatorValue.batch_id)),
        (ConflictDeclaration, func.max(ConflictDeclaration.id),
         func.max(ConflictDeclaration.declared_at)),
    )
    return [select(func.count(), *columns).where(model.entry_id.in_(entry_ids))
            for model, *columns in summaries]


def _in_one_statement(summaries: list) -> tuple:
    """Each one-row summary query's row, all read in one statement (one round trip)."""
    return _read(_joined(summaries))


def _joined(summaries: list) -> tuple:
    """The one-row summary queries as one statement, and how many columns each gives."""
    parts = [summary.subquery() for summary in summaries]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    return (select(*(column for part in parts for column in part.c)).select_from(joined),
            tuple(len(part.c) for part in parts))


def _read(joined: tuple, params: dict | None = None) -> tuple:
    """Each summary's row out of the one statement's row."""
    statement, widths = joined
    row = iter(db.session.execute(statement, params or {}).one())
    return tuple(tuple(next(row) for _ in range(width)) for width in widths)


def _saq_fingerprint(entry_ids) -> tuple:
    """The online SAQ's share: answers, verifications and objections of the entries."""
    return _in_one_statement(_saq_summaries(entry_ids))


def _saq_summaries(entry_ids) -> list:
    answer_ids = (select(Answer.id).join(SaqResponse, Answer.response_id == SaqResponse.id)
                  .where(SaqResponse.entry_id.in_(entry_ids)))
    summaries = (
        (Answer, Answer.id.in_(answer_ids), func.max(Answer.updated_at)),
        (Verification, Verification.answer_id.in_(answer_ids), func.max(Verification.id),
         func.max(Verification.decided_at)),
        (Objection, Objection.answer_id.in_(answer_ids), func.max(Objection.id),
         func.max(Objection.resolved_at)),
    )
    return [select(func.count(), *columns).select_from(model).where(condition)
            for model, condition, *columns in summaries]


def warm_up(absent) -> None:
    """Compile a live ranking's reads before a worker's first request (no such category)."""
    category = absent(Category)
    category.criteria  # noqa: B018 - the lazy load is what is compiled
    _ranked_entries(0)
    db.session.execute(_RUBRIC, {"category_id": 0}).all()
    mark_rows(category)
    mark_rows(category, since=(0, utcnow()))
    _sheet_codes(category)
    _monev_rows(category)
    verified_scores(0)
    _conflicts(category)
    for uses_saq in (False, True):
        _read(_category_statement(uses_saq), {"category_id": 0})
