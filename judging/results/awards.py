"""Award labels: the top ``places`` of a category, shared ranks sharing the award."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from judging.extensions import db
from judging.models import SpecialAward

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


def special_awards(entry_ids: Iterable[int]) -> dict[int, list[SpecialAward]]:
    """Special awards of the given entries, by entry id, in the order they were given."""
    ids = list(entry_ids)
    out: dict[int, list[SpecialAward]] = defaultdict(list)
    if ids:
        for award in db.session.scalars(
            select(SpecialAward).where(SpecialAward.entry_id.in_(ids)).order_by(SpecialAward.id)
        ):
            out[award.entry_id].append(award)
    return out
