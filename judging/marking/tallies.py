"""The progress dashboard's counts, each one SQL statement over a whole competition.

The database counts and groups; Python receives a few rows per category, juror or flagged
entry instead of every entry, sheet, assignment and conflict of the competition. The
statements are built once (the competition is a bound parameter) and reused.
"""

from __future__ import annotations

import functools

from sqlalchemy import (
    BigInteger,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
    type_coerce,
    union,
)

from judging.models import (
    Assignment,
    Category,
    ConflictDeclaration,
    Criterion,
    Entry,
    Mark,
    RoleGrant,
    Scoresheet,
    User,
)

COMPETITION = bindparam("competition_id")
IN_COMPETITION = and_(Category.competition_id == COMPETITION, Category.id == Entry.category_id)
SUBMITTED_ENTRY = and_(IN_COMPETITION, Entry.status == "submitted")


def _no_conflict(juror_column, entry_column, conflicts: bool = True):
    """The juror declared no conflict on the entry: a conflicted juror's work never counts
    (always true, with no lookup, in the variant for a competition with none declared)."""
    if not conflicts:
        return true()
    return ~exists().where(ConflictDeclaration.juror_id == juror_column,
                           ConflictDeclaration.entry_id == entry_column)


# Each (juror, submitted entry) the juror judges: the whole category or this one entry.
_ASSIGNED = union(
    select(Assignment.juror_id.label("juror_id"), Entry.id.label("entry_id"))
    .join(Entry, Entry.category_id == Assignment.category_id).join(Category, SUBMITTED_ENTRY)
    .where(Assignment.entry_id.is_(None), Assignment.verifier.is_(False)),
    select(Assignment.juror_id, Entry.id)
    .join(Entry, Entry.id == Assignment.entry_id).join(Category, SUBMITTED_ENTRY)
    .where(Assignment.verifier.is_(False)),
).subquery()


def _juror_loads(conflicts: bool):
    loads = (
        select(_ASSIGNED.c.juror_id, func.count().label("assigned"),
               func.count(Scoresheet.id).label("submitted"))
        .select_from(_ASSIGNED)
        .outerjoin(Scoresheet, and_(Scoresheet.entry_id == _ASSIGNED.c.entry_id,
                                    Scoresheet.juror_id == _ASSIGNED.c.juror_id,
                                    Scoresheet.status == "submitted"))
        .where(_no_conflict(_ASSIGNED.c.juror_id, _ASSIGNED.c.entry_id, conflicts))
        .group_by(_ASSIGNED.c.juror_id)
    ).subquery()
    return (
        select(User.id, User.name, func.coalesce(loads.c.assigned, 0).label("assigned"),
               func.coalesce(loads.c.submitted, 0).label("submitted"))
        .outerjoin(loads, loads.c.juror_id == User.id)
        .where(User.id.in_(select(RoleGrant.user_id).where(
            RoleGrant.role == "juror", RoleGrant.competition_id == COMPETITION)))
        .order_by(User.name, User.id)
    )


# (juror id, name, submitted entries assigned, sheets submitted) of every juror, by name
JUROR_LOADS = _juror_loads(conflicts=True)


def _short_of_marks(conflicts: bool):
    # submitted sheets of unconflicted jurors on the outer query's entry, counted per entry
    # by an index lookup (cheaper than grouping an outer join of every entry's sheets)
    counted = (
        select(func.count()).select_from(Scoresheet)
        .where(Scoresheet.entry_id == Entry.id, Scoresheet.status == "submitted",
               _no_conflict(Scoresheet.juror_id, Scoresheet.entry_id, conflicts))
        .scalar_subquery()
    )
    entries = (
        select(Entry.id, Entry.code, Entry.status, Entry.category_id, counted.label("counted"),
               Category.required_marks, Category.position)
        .select_from(Entry).join(Category, SUBMITTED_ENTRY)
    ).subquery()
    return (
        select(*list(entries.c)[:6])
        .where(entries.c.counted < entries.c.required_marks)
        .order_by(entries.c.position, entries.c.code, entries.c.id)
    )


# (entry id, code, status, category id, sheets counted, sheets required) of submitted entries
# with fewer submitted sheets of unconflicted jurors than their category requires
SHORT_OF_MARKS = _short_of_marks(conflicts=True)

# The same two for a competition whose summary counts no conflict declaration on its entries:
# no conflict lookup per sheet or assignment.
JUROR_LOADS_NO_CONFLICTS = _juror_loads(conflicts=False)
SHORT_OF_MARKS_NO_CONFLICTS = _short_of_marks(conflicts=False)

# (entry id, code, status, category id, juror id, juror name) of every submitted sheet of an
# unconflicted juror on a submitted entry that has at least two of them
_PAIRS = (
    select(Scoresheet.entry_id, Scoresheet.juror_id)
    .join(Entry, Entry.id == Scoresheet.entry_id).join(Category, SUBMITTED_ENTRY)
    .where(Scoresheet.status == "submitted",
           _no_conflict(Scoresheet.juror_id, Scoresheet.entry_id))
).subquery()
_SHARED = (select(_PAIRS.c.entry_id).group_by(_PAIRS.c.entry_id)
           .having(func.count() >= literal(2))).subquery()
SHEET_PAIRS = (
    select(Entry.id, Entry.code, Entry.status, Entry.category_id, User.id.label("juror_id"),
           User.name.label("juror_name"))
    .select_from(_PAIRS)
    .join(_SHARED, _SHARED.c.entry_id == _PAIRS.c.entry_id)
    .join(Entry, Entry.id == _PAIRS.c.entry_id).join(Category, Category.id == Entry.category_id)
    .join(User, User.id == _PAIRS.c.juror_id)
    .order_by(Category.position, Entry.code, Entry.id, User.id)
)

# (juror, entry, criterion, stored value) of every mark on the competition's submitted entries
MARKS = (
    select(Mark.juror_id, Mark.entry_id, Mark.criterion_id, type_coerce(Mark.value, BigInteger))
    .join(Entry, Entry.id == Mark.entry_id).join(Category, SUBMITTED_ENTRY)
    .where(Mark.value.is_not(None))
)

# Everything the jurors' scores on the dashboard are computed from, summarised: a new,
# changed or deleted mark, sheet, conflict or submitted entry moves a count, a version
# sum, a greatest id or a latest time (as the live ranking's fingerprint does). The marks'
# greatest id and latest time are of every competition's (two index lookups, where the
# competition's own would read each of its marks): a save elsewhere moves them too.
_ENTRIES = select(Entry.id).join(Category, IN_COMPETITION)
_SUMMARIES = [
    select(func.count().label("marks"), func.sum(Mark.version).label("mark_versions"),
           select(func.max(Mark.id)).correlate(None).scalar_subquery().label("last_mark"),
           select(func.max(Mark.updated_at)).correlate(None).scalar_subquery()
           .label("last_mark_at"))
    .where(Mark.entry_id.in_(_ENTRIES)),
    select(func.count().label("sheets"), func.sum(Scoresheet.version).label("sheet_versions"),
           func.max(Scoresheet.updated_at).label("last_sheet_at"))
    .where(Scoresheet.entry_id.in_(_ENTRIES)),
    select(func.count().label("conflicts"),
           func.max(ConflictDeclaration.id).label("last_conflict"))
    .where(ConflictDeclaration.entry_id.in_(_ENTRIES)),
    select(func.count().label("submitted"), func.sum(Entry.id).label("submitted_ids"))
    .select_from(Entry).join(Category, SUBMITTED_ENTRY),
]
_PARTS = [summary.subquery() for summary in _SUMMARIES]
SCORE_INPUTS = select(*(column for part in _PARTS for column in part.c)).select_from(
    functools.reduce(lambda joined, part: joined.join(part, true()), _PARTS))

# (category id, name, position, required marks, disagreement threshold, status, entries) of
# every category by position, one row per status its entries have (an empty category: one
# row, no status, 0 entries), each row followed by the scores' summary (SCORE_INPUTS' columns):
# the page reads its categories, their counts and that summary in one statement.
_COUNTS = (
    select(Category.id, Category.name, Category.position, Category.required_marks,
           Category.disagreement_threshold, Entry.status, func.count(Entry.id).label("entries"))
    .select_from(Category).outerjoin(Entry, Entry.category_id == Category.id)
    .where(Category.competition_id == COMPETITION)
    .group_by(Category.id, Entry.status)
).subquery()
_INPUTS = SCORE_INPUTS.subquery()
CATEGORY_COUNTS = (
    select(*_COUNTS.c, *_INPUTS.c).select_from(_COUNTS.join(_INPUTS, true()))
    .order_by(_COUNTS.c.position, _COUNTS.c.id, _COUNTS.c.status)
)

# (category id, criterion id, weight, max mark) of every rubric line, in rubric order
RUBRICS = (
    select(Criterion.category_id, Criterion.id, Criterion.weight, Criterion.max_mark)
    .join(Category, Category.id == Criterion.category_id)
    .where(Category.competition_id == COMPETITION)
    .order_by(Criterion.category_id, Criterion.position, Criterion.id)
)
