"""The scoresheet save's one read: the entry, may-judge, criteria, the sheet and its marks.

The save used to read the entry, then its criteria, then the juror's sheet with its marks:
three statements whose SQLAlchemy execution cost more than SQLite took to run them. Here
they are one row per criterion (the entry and the sheet repeated on each, the criterion's
mark beside it). The criteria as the save checks them are worked out once per process
for each category's criteria as stored: the rows come every time, the objects do not.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import BigInteger, type_coerce

from judging import driver_sql
from judging.extensions import db
from judging.marking.marks import MarkRow, SheetRow
from judging.marking.scoring_entry import (
    _ENTRY_ROW,
    _USER,
    CategoryView,
    CompetitionView,
    CriterionView,
    EntrantView,
    ScoringEntry,
)
from judging.models import Criterion, Entry, Mark, Scoresheet
from judging.models.types import ScaledDecimal
from judging.permissions import remember_judge_answer
from judging.request_connection import plain_connection


def _named(prefix: str, *columns):
    """Columns labelled apart from the entry's (the rows come as named tuples)."""
    return tuple(column.label(f"{prefix}_{column.key}") for column in columns)


_SHEET_COLUMNS = _named("sheet", Scoresheet.id, Scoresheet.status, Scoresheet.version,
                        Scoresheet.overall_comment, Scoresheet.submitted_at,
                        Scoresheet.revisit_requested_at, Scoresheet.revisit_note,
                        Scoresheet.updated_at)
# Criteria come raw (weights and maxima as the scaled integers stored): they are only
# the key of the cache below, converted once on a miss.
_CRITERION_COLUMNS = (
    *_named("criterion", Criterion.id, Criterion.key, Criterion.label, Criterion.guidance),
    type_coerce(Criterion.weight, BigInteger).label("criterion_weight"),
    type_coerce(Criterion.max_mark, BigInteger).label("criterion_top"),
    Criterion.position.label("criterion_position"))
_MARK_COLUMNS = _named("mark", Mark.id, Mark.value, Mark.comment, Mark.version,
                       Mark.updated_at)
_SHEET_AT = len(_ENTRY_ROW.selected_columns)
_CRITERION_AT = _SHEET_AT + len(_SHEET_COLUMNS)
_MARK_AT = _CRITERION_AT + len(_CRITERION_COLUMNS)
_SAVE_READ = (
    _ENTRY_ROW.add_columns(*_SHEET_COLUMNS, *_CRITERION_COLUMNS, *_MARK_COLUMNS)
    .outerjoin(Scoresheet, (Scoresheet.entry_id == Entry.id) & (Scoresheet.juror_id == _USER))
    .outerjoin(Criterion, Criterion.category_id == Entry.category_id)
    .outerjoin(Mark, (Mark.entry_id == Entry.id) & (Mark.juror_id == _USER)
               & (Mark.criterion_id == Criterion.id))
    .order_by(Criterion.position, Criterion.id)
)
_CENTS = ScaledDecimal(2).process_result_value
_CRITERIA: dict[tuple, tuple[CriterionView, ...]] = {}
_CRITERIA_KEPT = 256  # categories whose criteria a process keeps; a new one past that clears


class SheetEntry(NamedTuple):
    """An entry as the save checks it (evidence unread), the juror's sheet and marks."""

    entry: ScoringEntry
    sheet: SheetRow | None
    marks: dict[int, MarkRow]


def sheet_entry(entry_id: int, juror_id: int) -> SheetEntry | None:
    """The entry with everything a save of the juror's sheet reads; None when missing.

    Whether the juror may judge it answers the request's ``can_judge_entry`` as the
    page's read does. Marks are read by the category's criteria (a mark always is).
    """
    params = {"entry_id": entry_id, "user_id": juror_id}
    rows = driver_sql.rows(plain_connection(db), _SAVE_READ, params)
    if not rows:
        return None
    row = rows[0]
    remember_judge_answer(juror_id, row.id, bool(row.may_judge))
    competition = CompetitionView(row.competition_id, row.competition_name, row.phase,
                                  row.timezone, row.judging_ends)
    raw = tuple(r[_CRITERION_AT:_MARK_AT] for r in rows if r[_CRITERION_AT] is not None)
    category = CategoryView(row.category_id, row.category_name, bool(row.blind),
                            row.method_key, row.competition_id, competition,
                            _criteria(row.category_id, raw))
    entry = ScoringEntry(row.id, row.code, row.status, row.description or "",
                         row.category_id, EntrantView(row.entrant_id, row.entrant_name),
                         category, None)
    sheet = row[_SHEET_AT:_CRITERION_AT]
    marks = {}
    for r in rows:
        mark = r[_MARK_AT:]
        if mark[0] is not None:
            criterion_id = r[_CRITERION_AT]
            marks[criterion_id] = MarkRow(mark[0], juror_id, criterion_id, *mark[1:])
    return SheetEntry(entry, SheetRow(sheet[0], juror_id, *sheet[1:]) if sheet[0] else None,
                      marks)


def _criteria(category_id: int, raw: tuple) -> tuple[CriterionView, ...]:
    """The category's criteria as views, built once for the values stored (an edit is a miss)."""
    key = (category_id, raw)
    found = _CRITERIA.get(key)
    if found is None:
        if len(_CRITERIA) >= _CRITERIA_KEPT:
            _CRITERIA.clear()
        found = _CRITERIA[key] = tuple(
            CriterionView(cid, key_, label, guidance or "", _CENTS(weight, None),
                          _CENTS(top, None), position)
            for cid, key_, label, guidance, weight, top, position in raw)
    return found


def warm_up(_absent) -> None:
    """Compile the save's read before a worker's first request (no such entry)."""
    sheet_entry(0, 0)
