"""The live ranking of a category: the engine run on the current marks and monev values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select

from judging.extensions import db
from judging.models import Category, User
from judging.plugin_setup import methods
from judging.refusals import both
from judging.results import livesnapshot
from judging.results.awards import (
    award_label,
    by_entry,
    category_special_awards,
    special_awards,
)
from judging.results.inputs import (
    category_fingerprint,
    category_inputs,
    ranked_entries,
    updated_mark_rows,
)
from judging.results.livecache import Computed, cached, key_parts
from judging.scoring.method import ScoringMethod
from judging.scoring.plugins import UnknownMethod
from judging.scoring.ranking import rank_category
from judging.scoring.types import Criterion, MarkColumns, RankedEntry
from judging.unchanged import read_unless_changed

KEPT_WINDOWS = 32  # pages of one computed ranking kept with their lines


@dataclass(frozen=True)
class Line:
    """One ranked entry with what the pages and exports add to the engine's result."""

    ranked: RankedEntry
    entry_code: str
    entrant_code: str
    award: str | None = None
    special_awards: tuple[str, ...] = ()
    criterion_means: dict[str, float] = field(default_factory=dict)  # criterion id -> mean

    @property
    def is_winner(self) -> bool:
        return bool(self.award or self.special_awards)

    @property
    def awards(self) -> list[str]:
        """The ranking award first, then the special awards."""
        return ([self.award] if self.award else []) + list(self.special_awards)


@dataclass
class Ranking:
    """A category's ranking, live or frozen, ready to show, export or publish."""

    category: Category
    method: ScoringMethod
    criteria: list[Criterion]
    lines: list[Line]
    frozen: bool = False
    frozen_at: datetime | None = None
    juror_names: dict[int, str] = field(default_factory=dict)
    # Reason and gaps the organizer overrode when freezing (None when nothing was missing).
    override: dict | None = None
    # What pages derive from a live page's lines (formatted cells, table text), kept with
    # them while the ranking, awards and names stay the same; None when nothing is kept.
    shown: dict | None = None

    def juror_ids(self) -> list[int]:
        """Every juror counted somewhere in this ranking (all pages of a live one), by id."""
        return sorted({j for line in self.lines for j in line.ranked.juror_scores}
                      | set(self.juror_names))

    def juror_labels(self, *, named: bool) -> dict[int, str]:
        """Names for organizers; "Juri 1, 2, …" (stable order by juror id) for anyone else."""
        ids = self.juror_ids()
        if named:
            return _unique_names({j: self.juror_names.get(j) or f"Juri {j}" for j in ids})
        return {j: f"Juri {n}" for n, j in enumerate(ids, start=1)}


def live_ranking(category: Category) -> Ranking:
    """Rank a category now. Raises ValueError (Indonesian / English) on impossible settings."""
    return live_window(category)[0]


def live_window(category: Category, offset: int = 0, limit: int | None = None
                ) -> tuple[Ranking, int]:
    """The live ranking's lines ``offset`` … ``offset + limit`` and how many lines it has.

    The engine ranks the whole cohort (ranks need it); only the lines asked for get their
    names, awards and criterion means.
    """
    return _live(category, lambda ranked: ranked[offset:None if limit is None else offset + limit],
                 window=None if limit is None else (offset, limit))


def live_selection(category: Category, keep: Callable[[RankedEntry], bool]
                   ) -> tuple[Ranking, int]:
    """Only the live lines ``keep`` accepts (one entry's, the top places), and the line count."""
    return _live(category, lambda ranked: [r for r in ranked if keep(r)])


def _live(category: Category, choose, window: tuple[int, int] | None = None
          ) -> tuple[Ranking, int]:
    try:
        method = methods().get(category.method_key)
        computed = _computed(category)
    except UnknownMethod as missing:  # the category's scoring method is not installed
        said = missing.args[0]
        raise ValueError(f"{category.name}: {both(said.message_id, said.message_en)}") from missing
    if computed.juror_ids is None:
        computed.juror_ids = frozenset(j for r in computed.ranked for j in r.juror_scores)
    names = juror_names(computed.juror_ids)
    if window is None:
        lines, shown = _lines(category, computed, choose(computed.ranked)), None
    else:
        lines, shown = _kept_window(category, computed, window, names, choose)
    return Ranking(category, method, computed.criteria, lines, juror_names=names,
                   shown=shown), len(computed.ranked)


def _kept_window(category: Category, computed: Computed, window: tuple[int, int],
                 names: dict, choose) -> tuple[list[Line], dict]:
    """A page's lines kept with the computed ranking under all else they show (award
    labels, places, special awards, jurors' names), with a store for what pages derive."""
    specials = category_special_awards(category.id)
    key = (window, repr(category.competition.award_labels), category.places, specials,
           tuple(names.items()))
    found = computed.windows.get(key)
    if found is None:
        if len(computed.windows) >= KEPT_WINDOWS:
            computed.windows.clear()
        lines = _lines(category, computed, choose(computed.ranked), by_entry(specials))
        found = computed.windows[key] = (lines, {})
    return found


def _computed(category: Category) -> Computed:
    """The engine's result for the category's current inputs, kept while they stay the same."""
    key = category_fingerprint(category)  # read first: a later write only makes a new key
    entries = ranked_entries(category)
    key = (key, tuple(entries.items()))
    return cached(category.id, key, lambda kept: _rank(category, entries, kept, key_parts(key)),
                  load=lambda: livesnapshot.load(category),
                  save=lambda computed: livesnapshot.save(category.id, computed))


def _kept_inputs(category: Category, entries: dict, kept: Computed | None, parts: dict):
    """The inputs for ``parts`` from those kept (in this process or on disk), re-reading
    only what moved: the marks written since, and any other part whose summary changed.
    Returns (inputs, whether they are exactly the kept ones)."""
    if kept is None or kept.inputs is None or kept.parts is None:
        return category_inputs(category, entries), False
    old = kept.parts
    rows = None
    if old["ids"] == parts["ids"] and not _ahead(old["mark_summary"], parts["mark_summary"]):
        rows = (kept.inputs.mark_rows if old["marks"] == parts["marks"] else
                updated_mark_rows(category, kept.inputs.mark_rows, old["mark_summary"],
                                  parts["mark_summary"], list(entries)))
    if old["basis"] != parts["basis"]:  # other settings, rubric or entries: read the rest
        return category_inputs(category, entries, rows), False
    same = frozenset(p for p in ("sheets", "monev", "conflicts") if old[p] == parts[p])
    inputs = category_inputs(category, entries, rows, kept=kept.inputs, same=same)
    return inputs, len(same) == 3 and rows is kept.inputs.mark_rows


def _ahead(kept: tuple, now: tuple) -> bool:
    """Whether kept marks are newer than the database's (a backup put back): read afresh."""
    return any(k is not None and (n is None or k > n) for k, n in zip(kept[1:], now[1:],
                                                                        strict=True))


def _rank(category: Category, entries: dict, kept: Computed | None = None,
          parts: dict | None = None) -> Computed:
    if parts is None:
        inputs, same = category_inputs(category, entries), False
    else:
        inputs, same = _kept_inputs(category, entries, kept, parts)
    if same and kept.ranked is not None:  # only other categories' marks moved
        return replace(kept, parts=parts, reused=True)
    ranked: list[RankedEntry] = []
    if inputs.cohort:
        try:
            ranked = rank_category(inputs.method, inputs.settings, inputs.cohort,
                                   inputs.criteria, inputs.marks, inputs.conflicts)
        except ValueError as problem:
            raise ValueError(f"{category.name}: {problem}") from problem
    return Computed(inputs.entries, inputs.criteria, inputs.marks, ranked, inputs.mark_rows,
                    parts=parts, inputs=inputs, reused=same)


def _lines(category: Category, computed: Computed, ranked: list[RankedEntry],
           specials: dict[int, tuple[str, ...]] | None = None) -> list[Line]:
    labels = category.competition.award_labels or []
    places = category.places
    specials = special_awards(category.id) if specials is None else specials
    missing = [r for r in ranked if r.entry_id not in computed.means]
    if missing:  # the shown lines' only, kept: the first request after a change stays short
        computed.means.update({r.entry_id: {} for r in missing})
        computed.means.update(criterion_means(computed.marks, missing))
    out = []
    for r in ranked:
        entry = computed.entries[r.entry_id]
        out.append(Line(
            ranked=r, entry_code=entry.code, entrant_code=entry.entrant_code,
            award=award_label(r.rank, places, labels, advanced=r.advanced),
            special_awards=tuple(specials.get(r.entry_id, ())),
            criterion_means=computed.means.get(r.entry_id, {}),
        ))
    return out


def criterion_means(marks: MarkColumns, ranked: list[RankedEntry]
                    ) -> dict[int, dict[str, float]]:
    """Mean mark per criterion over the jurors the engine counted for each of these entries.

    Marks are summed in juror order, as the ranking's breakdown has always shown them.
    """
    import numpy as np

    counted = [(r.entry_id, j) for r in ranked for j in r.juror_scores]
    if not counted or not len(marks):
        return {}
    scale = int(max(marks.juror_id.max(), max(j for _, j in counted))) + 1
    codes = np.array([e * scale + j for e, j in counted], np.int64)
    keep = np.flatnonzero(np.isin(marks.entry_id * scale + marks.juror_id, codes))
    entry, crit = marks.entry_id[keep], marks.criterion[keep]
    order = np.lexsort((marks.juror_id[keep], crit, entry))
    entry, crit, value = entry[order], crit[order], marks.value[keep][order]
    groups = np.flatnonzero(np.concatenate(([True], (entry[1:] != entry[:-1])
                                                    | (crit[1:] != crit[:-1]))))
    sums = np.add.reduceat(value, groups) if value.size else value
    counts = np.diff(np.append(groups, value.size))
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for e, c, total, n in zip(entry[groups].tolist(), crit[groups].tolist(), sums.tolist(),
                              counts.tolist(), strict=True):
        out[e][marks.criterion_keys[c]] = round(total / n, 2)
    return out


def juror_names(ids) -> dict[int, str]:
    """Display names of jurors by id (read once while the database is unchanged)."""
    ids = frozenset(ids)
    if not ids:
        return {}
    return dict(read_unless_changed(db.session, ("juror_names", ids), lambda: tuple(
        (user_id, name) for user_id, name in db.session.execute(
            select(User.id, User.name).where(User.id.in_(sorted(ids)))))))


def _unique_names(names: dict[int, str]) -> dict[int, str]:
    seen: dict[str, int] = defaultdict(int)
    for name in names.values():
        seen[name] += 1
    return {j: f"{n} (#{j})" if seen[n] > 1 else n for j, n in names.items()}
