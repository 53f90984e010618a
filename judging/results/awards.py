"""Award labels: the top ``places`` of a category, shared ranks sharing the award."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select

from judging.extensions import db
from judging.models import Entrant, Entry, SpecialAward
from judging.unchanged import read_unless_changed

MAX_SPECIAL_LABEL = 120


def award_label(rank: int, places: int, labels: Sequence[str], *, advanced: bool = True
                ) -> str | None:
    """The award of a rank, or None: beyond ``places`` or not past the method's gate.

    Ranks are shared by tied entries (1, 2, 2, 4), so tied entries get the same label;
    a place without a configured label reads "Peringkat <n>".
    """
    if not advanced or rank < 1 or rank > places:
        return None
    if rank <= len(labels) and str(labels[rank - 1]).strip():
        return str(labels[rank - 1]).strip()
    return f"Peringkat {rank}"


class SpecialAwardRow(NamedTuple):
    """A special award as the ranking page lists it."""

    id: int
    entry_id: int
    label: str
    entry_code: str
    entrant_name: str


def category_special_awards(category_id: int) -> tuple[SpecialAwardRow, ...]:
    """A category's special awards in the order given, as plain rows (read once while the
    database is unchanged: every ranking page view asks)."""
    return read_unless_changed(db.session, ("special_awards", category_id),
                               lambda: _special_award_rows(category_id))


def _special_award_rows(category_id: int) -> tuple[SpecialAwardRow, ...]:
    rows = db.session.execute(
        select(SpecialAward.id, SpecialAward.entry_id, SpecialAward.label, Entry.code,
               Entrant.name)
        .join(Entry, Entry.id == SpecialAward.entry_id)
        .join(Entrant, Entrant.id == Entry.entrant_id)
        .where(Entry.category_id == category_id).order_by(SpecialAward.id))
    return tuple(SpecialAwardRow(*row) for row in rows)


def special_awards(category_id: int) -> dict[int, tuple[str, ...]]:
    """Special award labels of a category's entries, by entry id, in the order given."""
    return by_entry(category_special_awards(category_id))


def by_entry(awards: tuple[SpecialAwardRow, ...]) -> dict[int, tuple[str, ...]]:
    """Award labels by entry id, in the order given."""
    out: dict[int, list[str]] = defaultdict(list)
    for award in awards:
        out[award.entry_id].append(award.label)
    return {entry_id: tuple(labels) for entry_id, labels in out.items()}


def warm_up(_absent) -> None:
    """Compile the ranking page's award read before a worker's first request."""
    _special_award_rows(0)
