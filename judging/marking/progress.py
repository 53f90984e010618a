"""Judging progress of a competition: entries by status, juror completion, marks, disagreement."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from sqlalchemy import BigInteger, select, type_coerce

from judging.extensions import db
from judging.models import (
    Assignment,
    Category,
    Competition,
    Entry,
    Mark,
    RoleGrant,
    Scoresheet,
    User,
)
from judging.permissions import conflict_pairs

STATUSES = ("draft", "submitted", "withdrawn")


class Person(NamedTuple):
    """A juror as the dashboard names them."""

    id: int
    name: str


class EntryLine(NamedTuple):
    """An entry as the dashboard counts it: plain columns, its category object attached."""

    id: int
    code: str
    status: str
    category_id: int
    category: Category


@dataclass
class JurorLoad:
    """One juror's work: entries to score and sheets submitted."""

    juror: Person
    assigned: int = 0
    submitted: int = 0

    @property
    def percent(self) -> int:
        return int(self.submitted * 100 / self.assigned) if self.assigned else 0


@dataclass
class EntryFlag:
    """An entry that needs the organizer's eye (too few marks, or jurors far apart)."""

    entry: EntryLine
    marks: int
    required: int
    spread: float | None = None
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Progress:
    """Everything the dashboard shows, computed once per request."""

    status_counts: dict[int, Counter]
    jurors: list[JurorLoad]
    short: list[EntryFlag]
    disagreements: list[EntryFlag]


def competition_entries(competition: Competition) -> list[Entry]:
    """Every entry of the competition, by category then code."""
    return list(db.session.scalars(
        select(Entry).join(Category).where(Category.competition_id == competition.id)
        .order_by(Category.position, Entry.code)
    ))


def entry_lines(competition: Competition) -> list[EntryLine]:
    """Every entry of the competition as plain rows, by category then code: the dashboard
    reads hundreds of entries and needs no ORM object for any of them."""
    categories = {c.id: c for c in competition.categories}
    rows = db.session.execute(
        select(Entry.id, Entry.code, Entry.status, Entry.category_id)
        .where(Entry.category_id.in_(list(categories)))
        .order_by(Entry.code))
    lines = [EntryLine(*row, categories[row[3]]) for row in rows]
    return sorted(lines, key=lambda e: e.category.position)  # stable: by code within


def submitted_sheets(entry_ids: list[int]) -> dict[int, set[int]]:
    """Entry id → jurors who submitted a score sheet for it."""
    out: dict[int, set[int]] = defaultdict(set)
    if entry_ids:
        rows = db.session.execute(
            select(Scoresheet.entry_id, Scoresheet.juror_id)
            .where(Scoresheet.entry_id.in_(entry_ids), Scoresheet.status == "submitted")
        )
        for entry_id, juror_id in rows:
            out[entry_id].add(juror_id)
    return out


def assigned_jurors(competition: Competition, entries: list[Entry],
                    conflicts: set[tuple[int, int]] | None = None) -> dict[int, set[int]]:
    """Entry id → jurors assigned to it (whole category or the entry), conflicts removed
    (read here unless the caller already has them)."""
    rows = db.session.execute(
        select(Assignment.juror_id, Assignment.category_id, Assignment.entry_id)
        .join(Category).where(Category.competition_id == competition.id,
                              Assignment.verifier.is_(False))
    ).all()
    wide, single = defaultdict(set), defaultdict(set)
    for juror_id, category_id, entry_id in rows:
        (single[entry_id] if entry_id else wide[category_id]).add(juror_id)
    if conflicts is None:
        conflicts = conflict_pairs([e.id for e in entries])
    return {
        e.id: {j for j in wide[e.category_id] | single[e.id] if (j, e.id) not in conflicts}
        for e in entries
    }


def short_of_marks(competition: Competition, entries: list[Entry] | None = None,
                   sheets: dict[int, set[int]] | None = None,
                   conflicts: set[tuple[int, int]] | None = None) -> list[EntryFlag]:
    """Submitted entries with fewer submitted score sheets than their category requires.

    The dashboard passes the entries, sheets and conflicts it already read.
    """
    if entries is None:
        entries = entry_lines(competition)
    entries = [e for e in entries if e.status == "submitted"]
    if sheets is None:
        sheets = submitted_sheets([e.id for e in entries])
    if conflicts is None:
        conflicts = conflict_pairs([e.id for e in entries])
    flags = []
    for entry in entries:
        counted = {j for j in sheets[entry.id] if (j, entry.id) not in conflicts}
        if len(counted) < entry.category.required_marks:
            flags.append(EntryFlag(entry, len(counted), entry.category.required_marks))
    return flags


def disagreements(competition: Competition, entries: list[Entry],
                  sheets: dict[int, set[int]] | None = None,
                  conflicts: set[tuple[int, int]] | None = None) -> list[EntryFlag]:
    """Entries whose jurors' jury scores spread wider than the category's threshold."""
    if sheets is None:
        sheets = submitted_sheets([e.id for e in entries])
    if conflicts is None:
        conflicts = conflict_pairs([e.id for e in entries])
    candidates = [e for e in entries if len(sheets[e.id]) >= 2]
    if not candidates:
        return []
    pairs = {(e.id, j): e for e in candidates for j in sorted(sheets[e.id])
             if (j, e.id) not in conflicts}
    scores = _pair_scores(pairs, _marks_table([e.id for e in candidates]))
    juror_names = dict(db.session.execute(
        select(User.id, User.name).where(User.id.in_({j for _, j in pairs}))).all())
    named: dict[int, dict[str, float]] = defaultdict(dict)
    for (entry_id, juror_id), score in zip(pairs, scores, strict=True):
        if score == score:  # not NaN: every criterion of the rubric marked
            named[entry_id][juror_names.get(juror_id, str(juror_id))] = round(score, 2)
    flags = []
    for entry in candidates:
        scored = named.get(entry.id, {})
        if len(scored) >= 2:
            spread = max(scored.values()) - min(scored.values())
            if spread > float(entry.category.disagreement_threshold):
                flags.append(EntryFlag(entry, len(scored), entry.category.required_marks,
                                       round(spread, 2), scored))
    return flags


def _pair_scores(pairs: dict[tuple[int, int], EntryLine], table) -> list[float]:
    """Each (entry, juror) pair's jury score, NaN where a criterion of its rubric is unmarked.

    Computed column by column in rubric order with the float operations of
    ``juror_jury_score``, so the dashboard shows the number the juror saw while marking.
    """
    import numpy as np

    rubrics: dict[int, list[tuple[int, float, float]]] = {}
    columns: dict[int, int] = {}
    for entry in pairs.values():
        if entry.category_id not in rubrics:
            rubrics[entry.category_id] = [
                (columns.setdefault(c.id, len(columns)), float(c.weight), float(c.max_mark))
                for c in entry.category.criteria]
    grid = np.full((len(pairs), max(len(columns), 1)), np.nan)
    codes = np.array([e * (1 << 32) + j for e, j in pairs], np.int64)
    row = _positions(codes, table[:, 1] * (1 << 32) + table[:, 0])
    criterion_ids = np.array(list(columns), np.int64)
    column = _positions(criterion_ids, table[:, 2])
    keep = (row >= 0) & (column >= 0)
    grid[row[keep], column[keep]] = table[keep, 3] / 10 ** Mark.value.type.scale
    categories = np.array([e.category_id for e in pairs.values()], np.int64)
    out = np.full(len(pairs), np.nan)
    for category_id, rubric in rubrics.items():
        total = sum(weight for _, weight, _ in rubric)
        if not rubric or not total:
            continue
        mine = categories == category_id
        weighted = np.zeros(int(mine.sum()))
        for col, weight, max_mark in rubric:
            weighted += weight * grid[mine, col] / max_mark
        out[mine] = weighted / total * 100
    return out.tolist()


def _positions(keys, wanted):
    """Index of each ``wanted`` value in ``keys`` (distinct integers), -1 where absent."""
    import numpy as np

    if not len(keys):
        return np.full(len(wanted), -1)
    order = np.argsort(keys, kind="stable")
    at = np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)
    return np.where(keys[order][at] == wanted, order[at], -1)


def _marks_table(entry_ids: list[int]):
    """Marks of these entries as integer rows (juror, entry, criterion, stored value).

    Read with the driver's own tuples straight into one NumPy array: no Row, Decimal or
    dict per mark (a mark is stored as an integer count of hundredths).
    """
    import numpy as np

    result = db.session.connection().execute(
        select(Mark.juror_id, Mark.entry_id, Mark.criterion_id,
               type_coerce(Mark.value, BigInteger))
        .where(Mark.entry_id.in_(entry_ids), Mark.value.is_not(None)))
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return np.fromiter(chain.from_iterable(rows), np.int64, 4 * len(rows)).reshape(-1, 4)


def juror_loads(competition: Competition, entries: list[Entry],
                sheets: dict[int, set[int]] | None = None,
                conflicts: set[tuple[int, int]] | None = None) -> list[JurorLoad]:
    """Each juror of the competition: submitted entries assigned and sheets submitted."""
    jurors = db.session.execute(
        select(User.id, User.name).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "juror", RoleGrant.competition_id == competition.id)
        .order_by(User.name)
    ).all()
    loads = {j.id: JurorLoad(Person(*j)) for j in jurors}
    live = [e for e in entries if e.status == "submitted"]
    assigned = assigned_jurors(competition, live, conflicts)
    if sheets is None:
        sheets = submitted_sheets([e.id for e in live])
    for entry in live:
        for juror_id in assigned[entry.id]:
            if juror_id in loads:
                loads[juror_id].assigned += 1
                loads[juror_id].submitted += juror_id in sheets[entry.id]
    return list(loads.values())


def competition_progress(competition: Competition) -> Progress:
    """The dashboard's numbers for one competition."""
    entries = entry_lines(competition)
    counts: dict[int, Counter] = {c.id: Counter() for c in competition.categories}
    for entry in entries:
        counts[entry.category_id][entry.status] += 1
    submitted = [e for e in entries if e.status == "submitted"]
    ids = [e.id for e in submitted]
    sheets, conflicts = submitted_sheets(ids), conflict_pairs(ids)  # read once for all four
    return Progress(
        status_counts=counts,
        jurors=juror_loads(competition, entries, sheets, conflicts),
        short=short_of_marks(competition, submitted, sheets, conflicts),
        disagreements=disagreements(competition, submitted, sheets, conflicts),
    )


@dataclass(frozen=True)
class Bar:
    """One horizontal bar of a server-drawn SVG chart (coordinates in SVG units)."""

    label: str
    y: int
    segments: tuple[tuple[str, int, int, int], ...]  # (css class, x, width, value)
    total: int


def bar_chart(rows: list[tuple[str, list[tuple[str, int]]]], width: int = 360,
              height: int = 22) -> list[Bar]:
    """Stacked horizontal bars scaled to the largest total, for an SVG chart."""
    biggest = max((sum(v for _, v in parts) for _, parts in rows), default=0) or 1
    bars = []
    for index, (label, parts) in enumerate(rows):
        x, segments = 0, []
        for css, value in parts:
            w = round(value * width / biggest)
            segments.append((css, x, w, value))
            x += w
        bars.append(Bar(label, index * (height + 8), tuple(segments), sum(v for _, v in parts)))
    return bars
