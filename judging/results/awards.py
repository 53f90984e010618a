"""Award labels: the top ``places`` of a category, shared ranks sharing the award."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from judging.extensions import db
from judging.models import Entry, SpecialAward

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


def special_awards(category_id: int) -> dict[int, list[str]]:
    """Special award labels of a category's entries, by entry id, in the order given."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(SpecialAward.entry_id, SpecialAward.label).join(Entry)
        .where(Entry.category_id == category_id).order_by(SpecialAward.id)
    )
    for entry_id, label in rows:
        out[entry_id].append(label)
    return out


def category_special_awards(category_id: int) -> list[SpecialAward]:
    """The category's special awards, in the order given (the ranking page lists them)."""
    return list(db.session.scalars(
        select(SpecialAward).join(Entry).where(Entry.category_id == category_id)
        .order_by(SpecialAward.id)))


def warm_up(_absent) -> None:
    """Compile the ranking page's award reads before a worker's first request."""
    special_awards(0)
    category_special_awards(0)
