"""Judging progress of a competition: entries by status, juror completion, marks, disagreement."""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from threading import Lock
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, select

from judging import driver_sql
from judging.extensions import db
from judging.marking import tallies
from judging.models import (
    Assignment,
    Category,
    Competition,
    Entry,
    Mark,
    Scoresheet,
    User,
)
from judging.permissions import conflict_pairs
from judging.unchanged import read_unless_changed

STATUSES = ("draft", "submitted", "withdrawn")


class Person(NamedTuple):
    """A juror as the dashboard names them."""

    id: int
    name: str


class CategoryLine(NamedTuple):
    """A category as the dashboard shows it: plain columns read with its counts."""

    id: int
    name: str
    position: int
    required_marks: int
    disagreement_threshold: Decimal


class EntryLine(NamedTuple):
    """An entry as the dashboard counts it: plain columns, its category attached."""

    id: int
    code: str
    status: str
    category_id: int
    category: Category | CategoryLine


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

    categories: list[CategoryLine]
    status_counts: dict[int, Counter]
    jurors: list[JurorLoad]
    short_rows: list[tuple]  # SHORT_OF_MARKS' plain rows: the page draws them as they come
    disagreements: list[EntryFlag]
    conflicts: int  # conflict declarations on its entries: none, no conflict gap to look for

    @property
    def short(self) -> list[EntryFlag]:
        """The entries short of marks, by category then code."""
        return _short_flags(self.short_rows, {c.id: c for c in self.categories})


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


def _rows(statement, competition: Competition) -> list:
    """One of the dashboard's statements for this competition, as named tuples, on the
    driver's cursor (``driver_sql``); read once while the database is unchanged (every view
    of the dashboard asks again). The rows are shared: read, never changed."""
    params = {"competition_id": competition.id}
    return read_unless_changed(
        db.session, ("progress", statement, competition.id),
        lambda: driver_sql.rows(db.session.connection(), statement, params))


class _Counted(NamedTuple):
    """The categories with their entries by status, and the scores' summary, read together."""

    categories: list[CategoryLine]
    status_counts: dict[int, Counter]
    score_inputs: tuple
    conflicts: int  # conflict declarations on the competition's entries


def _counted(competition: Competition) -> _Counted:
    categories: dict[int, CategoryLine] = {}
    counts: dict[int, Counter] = {}
    summary, conflicts = (), 0
    for row in _rows(tallies.CATEGORY_COUNTS, competition):
        if row[0] not in categories:
            categories[row[0]] = CategoryLine(*row[:5])
            counts[row[0]] = Counter()
        if row[5] is not None:
            counts[row[0]][row[5]] = row[6]
        summary, conflicts = tuple(row[7:]), row.conflicts
    return _Counted(list(categories.values()), counts, summary, conflicts)


def _short_flags(rows: list[tuple], categories: dict) -> list[EntryFlag]:
    return [EntryFlag(EntryLine(entry_id, code, status, category_id, categories[category_id]),
                      counted, required)
            for entry_id, code, status, category_id, counted, required in rows]


def short_of_marks(competition: Competition) -> list[EntryFlag]:
    """Submitted entries with fewer submitted score sheets than their category requires
    (a conflicted juror's sheet does not count), by category then code."""
    return _short_flags(_rows(tallies.SHORT_OF_MARKS, competition),
                        {c.id: c for c in competition.categories})


def juror_loads(competition: Competition, conflicts: bool = True) -> list[JurorLoad]:
    """Each juror of the competition, by name: submitted entries assigned (conflicts
    removed) and sheets submitted for them (``conflicts`` False: none is declared)."""
    statement = tallies.JUROR_LOADS if conflicts else tallies.JUROR_LOADS_NO_CONFLICTS
    return [JurorLoad(Person(juror_id, name), assigned, submitted)
            for juror_id, name, assigned, submitted in _rows(statement, competition)]


def disagreements(competition: Competition, counted: _Counted | None = None,
                  jurors: list[JurorLoad] = ()) -> list[EntryFlag]:
    """Entries whose jurors' jury scores spread wider than the category's threshold (the
    names of ``jurors`` are used where they cover every scoring juror)."""
    counted = counted or _counted(competition)
    categories = {c.id: c for c in counted.categories}
    scored = _kept_scores(competition, categories, counted.score_inputs)
    if not scored:
        return []
    names = _scoring_names(sorted({j for _, scores in scored for j in scores}), jurors)
    thresholds = tuple((c.id, float(c.disagreement_threshold)) for c in categories.values())
    return [EntryFlag(EntryLine(entry_id, code, status, category_id, categories[category_id]),
                      len(named), categories[category_id].required_marks, spread, dict(named))
            for entry_id, code, status, category_id, spread, named
            in _flagged(competition.id, scored, names, thresholds)]


def _scoring_names(ids: list[int], jurors: list[JurorLoad]) -> tuple:
    """(id, name) of each juror in ``ids``, by id: from the loads already read when they
    name all of them, else read (a juror who left the competition keeps their sheets)."""
    known = {j.juror.id: j.juror.name for j in jurors}
    if all(i in known for i in ids):
        return tuple((i, known[i]) for i in ids)
    result = db.session.connection().execute(_JUROR_NAMES, {"ids": ids})
    try:
        return tuple(result.cursor.fetchall())
    finally:
        result.close()


_JUROR_NAMES = (select(User.id, User.name)  # built once: the ids are one expanding parameter
                .where(User.id.in_(bindparam("ids", expanding=True))).order_by(User.id))


def _flagged(competition_id: int, scored: list, names: tuple, thresholds: tuple) -> list:
    """(entry id, code, status, category id, spread, {juror name: score}) of each scored
    entry whose jurors spread wider than its category's threshold: worked out again only
    when the kept scores, a juror's name or a threshold changed."""
    kept = current_app.extensions.setdefault("juara.disagreements", {})
    found = kept.get(competition_id)
    if found is not None and found[0] is scored and found[1:3] == (names, thresholds):
        return found[3]
    by_id, limits = dict(names), dict(thresholds)
    flagged = []
    for (entry_id, code, status, category_id), scores in scored:
        named = {by_id.get(j, str(j)): score for j, score in scores.items()}
        if category_id not in limits or len(named) < 2:
            continue
        spread = max(named.values()) - min(named.values())
        if spread > limits[category_id]:
            flagged.append((entry_id, code, status, category_id, round(spread, 2), named))
    with _KEEPING:
        if len(kept) >= KEPT and competition_id not in kept:
            kept.clear()
        kept[competition_id] = (scored, names, thresholds, flagged)
    return flagged


KEPT = 16  # competitions whose jurors' scores a process keeps
_KEEPING = Lock()


def _kept_scores(competition: Competition, categories: dict[int, CategoryLine],
                 score_inputs: tuple) -> list:
    """The jurors' scores of every entry two or more of them scored, kept in the process
    while nothing they are computed from changed (``score_inputs``, the summary read with
    the categories, and the rubrics)."""
    rubrics: dict[int, list] = defaultdict(list)
    for category_id, criterion_id, weight, max_mark in _rows(tallies.RUBRICS, competition):
        rubrics[category_id].append((criterion_id, float(weight), float(max_mark)))
    key = (score_inputs,
           tuple((c.id, c.position) for c in categories.values()),
           tuple((c, tuple(r)) for c, r in rubrics.items()))
    kept = current_app.extensions.setdefault("juara.juror_scores", OrderedDict())
    found = kept.get(competition.id)
    if found is None or found[0] != key:
        found = (key, _sheet_scores(competition, rubrics))
    with _KEEPING:
        kept[competition.id] = found
        kept.move_to_end(competition.id)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return found[1]


def _sheet_scores(competition: Competition, rubrics: dict[int, list]) -> list:
    """((entry id, code, status, category id), {juror id: score}) of each submitted entry
    with two or more unconflicted jurors' scores, by category then code."""
    rows = _rows(tallies.SHEET_PAIRS, competition)
    if not rows:
        return []
    lines: dict[int, tuple] = {}
    pairs: dict[tuple[int, int], int] = {}
    for entry_id, code, status, category_id, juror_id, _name in rows:
        lines.setdefault(entry_id, (entry_id, code, status, category_id))
        pairs[(entry_id, juror_id)] = category_id
    scores = _pair_scores(pairs, rubrics, _marks_table(competition))
    by_entry: dict[int, dict[int, float]] = defaultdict(dict)
    for (entry_id, juror_id), score in zip(pairs, scores, strict=True):
        if score == score:  # not NaN: every criterion of the rubric marked
            by_entry[entry_id][juror_id] = round(score, 2)
    return [(line, by_entry[entry_id]) for entry_id, line in lines.items()
            if len(by_entry.get(entry_id, ())) >= 2]


def _pair_scores(pairs: dict[tuple[int, int], int], rubrics: dict[int, list],
                 table) -> list[float]:
    """Each (entry, juror) pair's jury score, NaN where a criterion of its rubric is unmarked
    (``pairs`` give each pair's category, ``rubrics`` each category's (criterion id, weight,
    max mark) in rubric order).

    Computed column by column in rubric order with the float operations of
    ``juror_jury_score``, so the dashboard shows the number the juror saw while marking.
    """
    import numpy as np

    used = {category_id: [] for category_id in pairs.values()}
    columns: dict[int, int] = {}
    for category_id in used:
        used[category_id] = [(columns.setdefault(criterion_id, len(columns)), weight, max_mark)
                             for criterion_id, weight, max_mark in rubrics.get(category_id, ())]
    grid = np.full((len(pairs), max(len(columns), 1)), np.nan)
    codes = np.array([e * (1 << 32) + j for e, j in pairs], np.int64)
    row = _positions(codes, table[:, 1] * (1 << 32) + table[:, 0])
    criterion_ids = np.array(list(columns), np.int64)
    column = _positions(criterion_ids, table[:, 2])
    keep = (row >= 0) & (column >= 0)
    grid[row[keep], column[keep]] = table[keep, 3] / 10 ** Mark.value.type.scale
    categories = np.array(list(pairs.values()), np.int64)
    out = np.full(len(pairs), np.nan)
    for category_id, rubric in used.items():
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


def _marks_table(competition: Competition):
    """Marks of the competition's submitted entries as integer rows (juror, entry,
    criterion, stored value).

    Read with the driver's own tuples straight into one NumPy array: no Row, Decimal or
    dict per mark (a mark is stored as an integer count of hundredths).
    """
    import numpy as np

    result = db.session.connection().execute(tallies.MARKS,
                                             {"competition_id": competition.id})
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return np.fromiter(chain.from_iterable(rows), np.int64, 4 * len(rows)).reshape(-1, 4)


def competition_progress(competition: Competition) -> Progress:
    """The dashboard's numbers for one competition: four grouped statements and the rubrics
    (two more with the sheets and marks when the scores' summary moved)."""
    counted = _counted(competition)
    declared = counted.conflicts > 0  # none: the lookups for them are left out
    jurors = juror_loads(competition, declared)
    return Progress(
        categories=counted.categories,
        status_counts=counted.status_counts,
        jurors=jurors,
        short_rows=_rows(tallies.SHORT_OF_MARKS if declared
                         else tallies.SHORT_OF_MARKS_NO_CONFLICTS, competition),
        disagreements=disagreements(competition, counted, jurors),
        conflicts=counted.conflicts,
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


def warm_up(_absent) -> None:
    """Plan and compile the progress page's statements before a worker's first request."""
    connection = db.session.connection()
    for statement in (tallies.CATEGORY_COUNTS, tallies.JUROR_LOADS,
                      tallies.JUROR_LOADS_NO_CONFLICTS, tallies.SHORT_OF_MARKS,
                      tallies.SHORT_OF_MARKS_NO_CONFLICTS, tallies.RUBRICS, tallies.SHEET_PAIRS):
        driver_sql.rows(connection, statement, {"competition_id": 0})
    connection.execute(tallies.MARKS, {"competition_id": 0}).all()
    connection.execute(_JUROR_NAMES, {"ids": [0]}).all()
