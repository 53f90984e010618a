"""The entry a juror scores, read as plain values: the hottest page and post of judging.

ORM entities with eager loads cost about a millisecond a statement on this machine kind;
the same reads as prebuilt Core statements cost a fifth. The page and the sheet save only
read these values (the save writes plain statements too, see ``marks``), so
they get rows; the save leaves the evidence unread unless a refusal shows the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select

from judging.extensions import db
from judging.marking.assignments import assigned_entries_query
from judging.models import (
    Category,
    Competition,
    Criterion,
    Entrant,
    Entry,
    Evidence,
    IndicatorValue,
    Mark,
    Scoresheet,
)
from judging.permissions import judge_condition, remember_judge_answer


@dataclass(frozen=True)
class CompetitionView:
    id: int
    name: str
    phase: str
    timezone: str
    judging_ends: datetime | None


@dataclass(frozen=True)
class EntrantView:
    id: int
    name: str


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    blind: bool
    method_key: str
    competition_id: int
    competition: CompetitionView
    criteria: tuple


@dataclass(frozen=True)
class ScoringEntry:
    """What the scoring page shows and the sheet save checks, read in three statements."""

    id: int
    code: str
    status: str
    description: str
    category_id: int
    entrant: EntrantView
    category: CategoryView
    evidence: tuple | None  # None: not read (the sheet save needs none unless refused)


_USER, _ENTRY = bindparam("user_id"), bindparam("entry_id")
_ENTRY_ROW = (
    select(Entry.id, Entry.code, Entry.status, Entry.description, Entry.category_id,
           Entrant.id.label("entrant_id"), Entrant.name.label("entrant_name"),
           Category.name.label("category_name"), Category.blind, Category.method_key,
           Category.competition_id, Competition.name.label("competition_name"),
           Competition.phase, Competition.timezone, Competition.judging_ends,
           judge_condition(_USER, Entry.id, Entry.category_id).label("may_judge"))
    .join(Category, Category.id == Entry.category_id)
    .join(Competition, Competition.id == Category.competition_id)
    .join(Entrant, Entrant.id == Entry.entrant_id)
    .where(Entry.id == _ENTRY)
)
_CRITERIA = (
    select(Criterion.id, Criterion.key, Criterion.label, Criterion.guidance, Criterion.weight,
           Criterion.max_mark, Criterion.position)
    .where(Criterion.category_id == bindparam("category_id"))
    .order_by(Criterion.position, Criterion.id)
)
_EVIDENCE = (
    select(Evidence.id, Evidence.kind, Evidence.url, Evidence.label, Evidence.original_name,
           Evidence.file_kind)
    .where(Evidence.entry_id == _ENTRY).order_by(Evidence.id)
)
_SHEET = (
    select(Scoresheet.id, Scoresheet.status, Scoresheet.version, Scoresheet.overall_comment,
           Scoresheet.revisit_requested_at, Scoresheet.revisit_note, Scoresheet.submitted_at)
    .where(Scoresheet.juror_id == _USER, Scoresheet.entry_id == _ENTRY)
)
_MARKS = (
    select(Mark.criterion_id, Mark.value, Mark.comment, Mark.version)
    .where(Mark.juror_id == _USER, Mark.entry_id == _ENTRY)
)
_MONEV = (
    select(IndicatorValue.indicator_key, IndicatorValue.value)
    .where(IndicatorValue.entry_id == _ENTRY)
)
# The juror's list (the list page's query) with each entry's sheet status, built once:
# building it per request cost several times what SQLite takes to run it.
_LIST = (
    assigned_entries_query(_USER, bindparam("competition_id"))
    .with_only_columns(Entry.id, Scoresheet.status, Scoresheet.revisit_requested_at)
    .outerjoin(Scoresheet, (Scoresheet.entry_id == Entry.id) & (Scoresheet.juror_id == _USER))
)


def _rows(statement, **params):
    return db.session.connection().execute(statement, params).all()


def scoring_entry(entry_id: int, juror_id: int, *, evidence: bool = True) -> ScoringEntry | None:
    """The entry with its category, competition, criteria and evidence; None when missing.

    ``evidence=False`` leaves the evidence unread (None) for a save that shows no page;
    :func:`with_evidence` reads it when a refused save shows the page after all.

    Whether the juror may judge it comes in the same statement and answers the
    request's ``can_judge_entry`` question, so the guard costs no statement of its own.
    """
    found = _rows(_ENTRY_ROW, entry_id=entry_id, user_id=juror_id)
    if not found:
        return None
    row = found[0]
    remember_judge_answer(juror_id, row.id, bool(row.may_judge))
    competition = CompetitionView(row.competition_id, row.competition_name, row.phase,
                                  row.timezone, row.judging_ends)
    category = CategoryView(row.category_id, row.category_name, bool(row.blind),
                            row.method_key, row.competition_id, competition,
                            tuple(_rows(_CRITERIA, category_id=row.category_id)))
    return ScoringEntry(row.id, row.code, row.status, row.description or "", row.category_id,
                        EntrantView(row.entrant_id, row.entrant_name), category,
                        tuple(_rows(_EVIDENCE, entry_id=row.id)) if evidence else None)


def with_evidence(entry: ScoringEntry) -> ScoringEntry:
    """The entry with its evidence read, if it was left out."""
    if entry.evidence is not None:
        return entry
    return replace(entry, evidence=tuple(_rows(_EVIDENCE, entry_id=entry.id)))


def sheet_state(juror_id: int, entry_id: int) -> tuple:
    """The juror's sheet (a row, or None) and marks by criterion id, for showing only."""
    sheet = _rows(_SHEET, user_id=juror_id, entry_id=entry_id)
    marks = _rows(_MARKS, user_id=juror_id, entry_id=entry_id)
    return (sheet[0] if sheet else None), {m.criterion_id: m for m in marks}


def monev_values(entry_id: int) -> dict[str, Decimal | None]:
    """The entry's monev figures by indicator key."""
    return dict(_rows(_MONEV, entry_id=entry_id))


@dataclass(frozen=True)
class Neighbours:
    """Where an entry sits in the juror's own list: position, previous, next, next unfinished."""

    position: int
    total: int
    previous: int | None
    next: int | None
    next_unfinished: int | None


def neighbours(juror_id: int, entry_id: int, competition_id: int) -> Neighbours | None:
    """The entry's place in the juror's list (the list page's order, conflicts skipped).

    One statement: the list's entry ids with the juror's sheet status; a sheet waiting for a
    revisit counts as unfinished.
    None when the entry is not in the list (an organizer looking, say).
    """
    rows = _rows(_LIST, user_id=juror_id, competition_id=competition_id)
    ids = [row.id for row in rows]
    if entry_id not in ids:
        return None
    at = ids.index(entry_id)
    later = rows[at + 1:] + rows[:at]
    unfinished = next((row.id for row in later
                       if row.status != "submitted" or row.revisit_requested_at), None)
    return Neighbours(at + 1, len(ids), ids[at - 1] if at else None,
                      ids[at + 1] if at + 1 < len(ids) else None, unfinished)
