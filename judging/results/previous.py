"""Year over year: last year's frozen rank and total beside this year's, per entrant.

A competition made by "copy to a new year" records its source (``copied_from_id``).
Categories are matched by name, then by code (the copy keeps both); entrants live at the
organising body, so the same entrant is matched directly. Only frozen results count as
last year's: a live ranking of an unfinished year would be no "last year" to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.models import Category, Competition, Entry
from judging.results.freeze import current_ranking, frozen_ranking
from judging.results.live import Ranking


@dataclass(frozen=True)
class Previous:
    """One entrant's result last year next to this year's."""

    year: int
    rank: int
    total: Decimal
    rank_now: int
    total_now: Decimal

    @property
    def rank_change(self) -> int:
        """Places gained since last year (positive = rose, negative = fell)."""
        return self.rank - self.rank_now

    @property
    def total_change(self) -> Decimal:
        return self.total_now - self.total

    @property
    def rose(self) -> bool:
        return self.rank_change > 0


def previous_competition(competition: Competition) -> Competition | None:
    """The competition this one was copied from, if it still exists."""
    if competition.copied_from_id is None:
        return None
    return db.session.get(Competition, competition.copied_from_id)


def previous_category(category: Category) -> Category | None:
    """Last year's category of the same name, else of the same code."""
    before = previous_competition(category.competition)
    if before is None:
        return None
    by_name = {c.name.casefold(): c for c in before.categories}
    by_code = {c.code.casefold(): c for c in before.categories}
    return by_name.get(category.name.casefold()) or by_code.get(category.code.casefold())


def previous_results(ranking: Ranking) -> dict[int, Previous]:
    """Entry id (this year) → last year's result of the same entrant in the matched category."""
    category = previous_category(ranking.category)
    before = frozen_ranking(category) if category is not None else None
    if before is None or not ranking.lines:
        return {}
    entrants = _entrants([line.ranked.entry_id for line in ranking.lines + before.lines])
    last = {entrants.get(line.ranked.entry_id): line.ranked for line in before.lines}
    out = {}
    for line in ranking.lines:
        old = last.get(entrants.get(line.ranked.entry_id))
        if old is not None:
            out[line.ranked.entry_id] = Previous(
                year=category.competition.year, rank=old.rank, total=old.total,
                rank_now=line.ranked.rank, total_now=line.ranked.total)
    return out


def entry_previous(entry: Entry) -> Previous | None:
    """One entry's result last year beside the ranking that counts now (frozen once final)."""
    if previous_category(entry.category) is None:
        return None
    try:
        ranking = current_ranking(entry.category)
    except ValueError:  # settings the method cannot rank yet: nothing to compare
        return None
    return previous_results(ranking).get(entry.id)


def _entrants(entry_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(Entry.id, Entry.entrant_id).where(Entry.id.in_(entry_ids)))
    return {entry_id: entrant_id for entry_id, entrant_id in rows}


def previous_sheet(competition: Competition, rankings: list[Ranking], words):
    """The export's "Tahun lalu" sheet, or None when the competition has no year before.

    ``words`` (``io.xlsx.words.Words``) speak the reader's language.
    """
    before = previous_competition(competition)
    if before is None:
        return None
    now, then = competition.year, before.year
    headers = [words("Kategori"), words("Kode peserta"), words("Peserta"),
               words("Peringkat %(year)s", year=now), words("Nilai %(year)s", year=now),
               words("Peringkat %(year)s", year=then), words("Nilai %(year)s", year=then),
               words("Perubahan peringkat"), words("Perubahan nilai")]
    rows = []
    for ranking in rankings:
        previous = previous_results(ranking)
        for line in ranking.lines:
            p = previous.get(line.ranked.entry_id)
            rows.append([ranking.category.name, line.entrant_code, line.ranked.name,
                         line.ranked.rank, line.ranked.total,
                         *((p.rank, p.total, p.rank_change, p.total_change) if p
                           else ("", "", "", ""))])
    return words("Tahun lalu (%(year)s)", year=then), headers, rows
