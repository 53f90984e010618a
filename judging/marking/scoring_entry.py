"""The entry a juror scores, read as plain values: the hottest page and post of judging.

ORM entities with eager loads cost about a millisecond a statement on this machine kind;
the same reads as prebuilt Core statements cost a fifth. The page and the sheet save only
read these values (the save writes plain statements too, see ``marks``), so
they get rows; the save leaves the evidence unread unless a refusal shows the page.
The page itself reads in one statement (:func:`scoring_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    Text,
    bindparam,
    case,
    cast,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType

from judging import driver_sql
from judging.extensions import db
from judging.marking.assignments import assigned_entries_query, assigned_entry_routes
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
from judging.models.types import ScaledDecimal, UTCDateTime
from judging.permissions import judge_condition, remember_judge_answer
from judging.request_connection import plain_connection


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
    return plain_connection(db).execute(statement, params).all()


def with_evidence(entry: ScoringEntry) -> ScoringEntry:
    """The entry with its evidence read, if it was left out."""
    if entry.evidence is not None:
        return entry
    return replace(entry, evidence=tuple(_rows(_EVIDENCE, entry_id=entry.id)))


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
    return _place([entry if status == "submitted" and not revisit else -entry
                   for entry, status, revisit in rows], entry_id)


def _place(items: list[int], entry_id: int) -> Neighbours | None:
    """Neighbours from the list's entry ids in order, each negative while unfinished."""
    at = next((items.index(item) for item in (entry_id, -entry_id) if item in items), None)
    if at is None:
        return None
    later = items[at + 1:] + items[:at]
    unfinished = next((-item for item in later if item < 0), None)
    return Neighbours(at + 1, len(items), abs(items[at - 1]) if at else None,
                      abs(items[at + 1]) if at + 1 < len(items) else None, unfinished)


# --- the scoring page: one statement -------------------------------------------------------
# The page reads the entry with the juror's sheet and the juror's list (one "x" row) and every
# other list it shows (criteria, marks, evidence, monev) in one UNION ALL of tagged rows, run
# on the driver's cursor (``driver_sql``); the lists find the entry's category and competition
# by subquery. Seven statements cost more in SQLAlchemy's execution path than in SQLite
# itself. A juror refused the entry is refused before any list is looked at.


class SheetView(NamedTuple):
    """The juror's sheet as the page and ``window_problem`` read it."""

    id: int
    status: str
    version: int
    overall_comment: str | None
    revisit_requested_at: datetime | None
    revisit_note: str | None
    submitted_at: datetime | None


class CriterionView(NamedTuple):
    id: int
    key: str
    label: str
    guidance: str
    weight: Decimal
    max_mark: Decimal
    position: int


class MarkView(NamedTuple):
    criterion_id: int
    value: Decimal | None
    comment: str | None
    version: int


class EvidenceView(NamedTuple):
    id: int
    kind: str
    url: str | None
    label: str | None
    original_name: str | None
    file_kind: str | None


@dataclass(frozen=True)
class ScoringPage:
    """The entry (criteria and evidence read) and what the juror's page shows beside it."""

    entry: ScoringEntry
    sheet: SheetView | None
    marks: dict[int, MarkView]
    monev: dict[str, Decimal | None]
    around: Neighbours | None


# One column per kind of value, each typed NULL where a branch has none (PostgreSQL types a
# union column from every branch). Numbers and moments come out raw, unconverted for every
# row: the page converts the few it shows (scaled integers with the models' own types).
_SLOTS = {**{f"i{n}": Integer() for n in range(1, 9)},
          "n1": ScaledDecimal(2), "n2": ScaledDecimal(2), "n4": ScaledDecimal(4),
          **{f"t{n}": Text() for n in range(1, 14)},
          **{f"d{n}": UTCDateTime() for n in range(1, 4)}}
_RAW = ("n1", "n2", "n4", "d1", "d2", "d3")
_CENTS = ScaledDecimal(2).process_result_value
_TEN_THOUSANDTHS = ScaledDecimal(4).process_result_value


def _tagged(tag: str, order, **given) -> list:
    """A branch's columns: its tag, its order within the tag, then every slot."""
    columns = [literal_column(f"'{tag}'", Text).label("tag"), order.label("ord")]
    for name, type_ in _SLOTS.items():
        column = given[name] if name in given else cast(null(), type_)
        columns.append((type_coerce(column, NullType()) if name in _RAW else column).label(name))
    return columns


class _listed(FunctionElement):
    """The juror's list as one text, ``3,-5,8``: entry ids in the list's order, each negative
    while its sheet is unfinished (not sent, or a revisit asked)."""

    type = Text()
    inherit_cache = True
    name = "listed"


@compiles(_listed)
def _group_concat(element, compiler, **kw):
    # SQLite concatenates in the order of the ordered subquery it reads from: it keeps a FROM
    # subquery's ORDER BY under an aggregate other than count/min/max, and never flattens it.
    item = next(iter(element.clauses))
    return f"group_concat({compiler.process(item, **kw)}, ',')"


@compiles(_listed, "postgresql")
def _string_agg(element, compiler, **kw):
    item, *order = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"string_agg(CAST({item} AS TEXT), ',' ORDER BY {', '.join(order)})"


_NONE = literal_column("0", Integer)
# The entry's category and competition, for the lists read in the same statement as the entry.
_CATEGORY_OF = select(Entry.category_id).where(Entry.id == _ENTRY).scalar_subquery()
_COMPETITION_OF = (select(Category.competition_id).where(Category.id == _CATEGORY_OF)
                   .scalar_subquery())
# The juror's list (the list page's order: category position and id, entry code) through its
# two routes, folded into one value of the entry's row: thirty rows of the union's width cost
# SQLite and the driver several times what the few values in them do. An entry through both
# routes comes twice, side by side, and is kept once.
_SENT = (Scoresheet.status == "submitted") & Scoresheet.revisit_requested_at.is_(None)
_ROUTES = union_all(*(
    route.with_only_columns(case((_SENT, Entry.id), else_=-Entry.id).label("item"),
                            Category.position.label("position"),
                            Category.id.label("category_id"), Entry.code.label("code"))
    .outerjoin(Scoresheet, (Scoresheet.entry_id == Entry.id) & (Scoresheet.juror_id == _USER))
    for route in assigned_entry_routes(_USER, _COMPETITION_OF))).subquery()
_ORDERED = (select(_ROUTES)
            .order_by(_ROUTES.c.position, _ROUTES.c.category_id, _ROUTES.c.code).subquery())
_LISTED = select(_listed(_ORDERED.c.item, _ORDERED.c.position, _ORDERED.c.category_id,
                         _ORDERED.c.code)).scalar_subquery()
# Ordered once for every branch by (ord, i2, t2): criteria by position and id, evidence by id.
_PAGE = union_all(
    select(*_tagged("x", _NONE, i1=Entry.id, i2=Entry.category_id, i3=Entrant.id,
                    i4=Category.competition_id, i5=cast(Category.blind, Integer),
                    i6=cast(judge_condition(_USER, Entry.id, Entry.category_id), Integer),
                    i7=Scoresheet.id, i8=Scoresheet.version, t1=Entry.code, t2=Entry.status,
                    t3=Entry.description, t4=Entrant.name, t5=Category.name,
                    t6=Category.method_key, t7=Competition.name, t8=Competition.phase,
                    t9=Competition.timezone, t10=Scoresheet.status,
                    t11=Scoresheet.overall_comment, t12=Scoresheet.revisit_note, t13=_LISTED,
                    d1=Competition.judging_ends, d2=Scoresheet.revisit_requested_at,
                    d3=Scoresheet.submitted_at))
    .join(Category, Category.id == Entry.category_id)
    .join(Competition, Competition.id == Category.competition_id)
    .join(Entrant, Entrant.id == Entry.entrant_id)
    .outerjoin(Scoresheet, (Scoresheet.entry_id == Entry.id) & (Scoresheet.juror_id == _USER))
    .where(Entry.id == _ENTRY),
    select(*_tagged("c", Criterion.position, i1=Criterion.id, i2=Criterion.id,
                    n1=Criterion.weight, n2=Criterion.max_mark, t1=Criterion.key,
                    t2=Criterion.label, t3=Criterion.guidance))
    .where(Criterion.category_id == _CATEGORY_OF),
    select(*_tagged("m", _NONE, i1=Mark.criterion_id, i2=Mark.version, n1=Mark.value,
                    t1=Mark.comment))
    .where(Mark.juror_id == _USER, Mark.entry_id == _ENTRY),
    select(*_tagged("e", Evidence.id, i1=Evidence.id, t1=Evidence.kind, t2=Evidence.url,
                    t3=Evidence.label, t4=Evidence.original_name, t5=Evidence.file_kind))
    .where(Evidence.entry_id == _ENTRY),
    select(*_tagged("v", _NONE, t1=IndicatorValue.indicator_key, n4=IndicatorValue.value))
    .where(IndicatorValue.entry_id == _ENTRY),
).order_by(literal_column("ord"), literal_column("i2"), literal_column("t2"))


def scoring_page(entry_id: int, juror_id: int) -> ScoringPage | None:
    """The entry with the juror's sheet and every list the page shows, in one statement.

    None when the entry is missing. Whether the juror may judge it answers
    ``can_judge_entry`` as above; the caller checks that before showing anything.
    """
    connection = plain_connection(db)
    head, criteria, evidence, marks, monev = None, [], [], {}, {}
    for row in driver_sql.rows(connection, _PAGE, {"user_id": juror_id, "entry_id": entry_id}):
        # tag, ord, i1..i8 (2–9), n1 n2 n4 (10–12), t1..t13 (13–25), d1..d3 (26–28)
        tag = row[0]
        if tag == "c":
            criteria.append(CriterionView(row[2], row[13], row[14], row[15] or "",
                                          _CENTS(row[10], None), _CENTS(row[11], None),
                                          row[1]))
        elif tag == "x":
            head = row
        elif tag == "m":
            marks[row[2]] = MarkView(row[2], _CENTS(row[10], None), row[13], row[3])
        elif tag == "e":
            evidence.append(EvidenceView(row[2], *row[13:18]))
        else:
            monev[row[13]] = _TEN_THOUSANDTHS(row[12], None)
    if head is None:
        return None
    entry, sheet, listed = _entry_of(head, juror_id, connection.dialect, tuple(criteria),
                                     tuple(evidence))
    return ScoringPage(entry, sheet, marks, monev, _place(_listed_items(listed), entry.id))


def _listed_items(listed: str | None) -> list[int]:
    """The ``_listed`` text as signed ids, an entry read through both routes kept once."""
    return list(dict.fromkeys(map(int, listed.split(",")))) if listed else []


def _entry_of(row, juror_id: int, dialect, criteria: tuple, evidence: tuple
              ) -> tuple[ScoringEntry, SheetView | None, str | None]:
    """The entry, the juror's sheet and the listed ids from the statement's "x" row."""
    (_tag, _ord, entry_id, category_id, entrant_id, competition_id, blind, may_judge, sheet_id,
     version, _n1, _n2, _n4, code, status, description, entrant_name, category_name, method_key,
     competition_name, phase, timezone, sheet_status, overall_comment, revisit_note, listed,
     judging_ends, revisit_requested_at, submitted_at) = row
    remember_judge_answer(juror_id, entry_id, bool(may_judge))
    moment = _moments(dialect)
    competition = CompetitionView(competition_id, competition_name, phase, timezone,
                                  moment(judging_ends))
    category = CategoryView(category_id, category_name, bool(blind), method_key, competition_id,
                            competition, criteria)
    entry = ScoringEntry(entry_id, code, status, description or "", category_id,
                         EntrantView(entrant_id, entrant_name), category, evidence)
    sheet = SheetView(sheet_id, sheet_status, version, overall_comment,
                      moment(revisit_requested_at), revisit_note, moment(submitted_at))
    return entry, (sheet if sheet_id is not None else None), listed


_MOMENT_READERS: dict = {}


def _moments(dialect):
    """How the dialect's raw moment becomes the models' aware UTC datetime (built once)."""
    found = _MOMENT_READERS.get(type(dialect))
    if found is None:
        found = _MOMENT_READERS[type(dialect)] = (
            UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
            or (lambda value: value))
    return found


def warm_up(_absent) -> None:
    """Compile the page's statement before a worker's first request (no such entry)."""
    scoring_page(0, 0)
