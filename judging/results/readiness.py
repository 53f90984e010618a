"""What stands between live marks and a ranking worth freezing, per category, in one place.

The phase steps into ``moderation`` and ``final`` read these gaps: entries without enough
submitted sheets or none at all, sheets assigned but not submitted, monev values missing
for required indicators, revisit requests still open. Each gap names the page that fixes it.
A verified online SAQ counts as the ``nilai_saq`` value, as it does in the ranking.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from judging.extensions import db
from judging.marking.progress import assigned_jurors, submitted_sheets
from judging.models import Category, Competition, Entry, IndicatorValue, Scoresheet
from judging.permissions import conflict_pairs
from judging.plugin_setup import methods
from judging.refusals import Notice
from judging.results.inputs import SAQ_INDICATOR
from judging.results.live import live_ranking
from judging.saq.scores import verified_scores

SHOWN_CODES = 10


@dataclass(frozen=True)
class Gap:
    """One kind of missing data in one category, and the page (endpoint, args) that fixes it."""

    kind: str
    notice: Notice
    endpoint: str
    args: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.notice)


@dataclass
class CategoryReadiness:
    """A category's gaps; ``complete`` only when there are none."""

    category: Category
    gaps: list[Gap] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.gaps


def _codes(entries: list[Entry]) -> str:
    shown = ", ".join(e.code for e in entries[:SHOWN_CODES])
    return shown + (" …" if len(entries) > SHOWN_CODES else "")


def _gap(kind, entries, text_id, text_en, endpoint, **args) -> Gap:
    n, codes = len(entries), _codes(entries)
    return Gap(kind, Notice(f"{n} {text_id}: {codes}.",
                            f"{n} {text_en if n != 1 else text_en.replace('entries', 'entry')}: "
                            f"{codes}."), endpoint, args)


def category_readiness(category: Category) -> CategoryReadiness:
    """Every gap of one category's submitted entries."""
    result = CategoryReadiness(category)
    entries = list(db.session.scalars(select(Entry).where(
        Entry.category_id == category.id, Entry.status == "submitted").order_by(Entry.code)))
    if not entries:
        return result
    ids = [e.id for e in entries]
    judged = _advanced(category, entries)
    conflicts = conflict_pairs(ids)
    sheets = submitted_sheets(ids)
    counted = {e.id: {j for j in sheets[e.id] if (j, e.id) not in conflicts} for e in entries}
    none = [e for e in judged if not counted[e.id]]
    short = [e for e in judged if counted[e.id] and len(counted[e.id]) < category.required_marks]
    assigned = assigned_jurors(category.competition, judged)
    unsubmitted = [e for e in judged if assigned[e.id] - counted[e.id]]
    cid, comp = category.id, category.competition_id
    if none:
        result.gaps.append(_gap("no_score", none, "entri belum punya nilai juri sama sekali",
                                "entries with no jury score at all",
                                "organizer.progress", competition_id=comp))
    if short:
        result.gaps.append(_gap("short", short,
                                "entri punya nilai juri lebih sedikit dari yang diwajibkan "
                                f"({category.required_marks})",
                                f"entries with fewer jury marks than required "
                                f"({category.required_marks})",
                                "organizer.category_jury", category_id=cid))
    if unsubmitted:
        result.gaps.append(_gap("unsubmitted", unsubmitted,
                                "entri masih menunggu lembar penilaian juri yang belum dikirim",
                                "entries still waiting for unsubmitted jury sheets",
                                "organizer.progress", competition_id=comp))
    missing = _missing_monev(category, entries)
    if missing:
        result.gaps.append(_gap("monev", missing,
                                "entri belum punya nilai monev untuk indikator wajib",
                                "entries missing monev values for required indicators",
                                "organizer.monev", category_id=cid))
    revisits = _open_revisits(ids, entries)
    if revisits:
        result.gaps.append(_gap("revisit", revisits,
                                "entri punya permintaan tinjau ulang yang belum dijawab juri",
                                "entries with a revisit request the juror has not answered",
                                "organizer.moderation", category_id=cid))
    return result


def _advanced(category: Category, entries: list[Entry]) -> list[Entry]:
    """Entries the method sends to the jury (a gate such as SAQ ≥ 65 may stop some)."""
    try:
        ranking = live_ranking(category)
    except ValueError:  # impossible settings are refused by the freeze itself
        return entries
    out = {line.ranked.entry_id for line in ranking.lines if line.ranked.advanced}
    return [e for e in entries if e.id in out]


def _missing_monev(category: Category, entries: list[Entry]) -> list[Entry]:
    try:
        method = methods().get(category.method_key)
    except KeyError:
        return []
    required = {i.key for i in method.indicators if i.required}
    if not required:
        return []
    have: dict[int, set[str]] = defaultdict(set)
    for entry_id, key in db.session.execute(
        select(IndicatorValue.entry_id, IndicatorValue.indicator_key).where(
            IndicatorValue.entry_id.in_([e.id for e in entries]),
            IndicatorValue.value.is_not(None))):
        have[entry_id].add(key)
    if SAQ_INDICATOR in required:
        for entry_id in verified_scores(category.id):
            have[entry_id].add(SAQ_INDICATOR)
    return [e for e in entries if required - have[e.id]]


def _open_revisits(ids: list[int], entries: list[Entry]) -> list[Entry]:
    open_ids = set(db.session.scalars(select(Scoresheet.entry_id).where(
        Scoresheet.entry_id.in_(ids), Scoresheet.revisit_requested_at.is_not(None))))
    return [e for e in entries if e.id in open_ids]


def competition_readiness(competition: Competition) -> list[CategoryReadiness]:
    """Every category's readiness, in the competition's order."""
    return [category_readiness(c) for c in competition.categories]
