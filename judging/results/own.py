"""A participant's own frozen result, shown only once the competition is published.

Everything here is read from the frozen Result row (never the live ranking), and jurors
appear only as "Juri 1, 2, …" so a participant learns scores, never who gave them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.i18n import interface_language
from judging.marking.scores import rubric
from judging.models import Certificate, Entry, Result, SpecialAward
from judging.phases import published
from judging.plugin_setup import methods
from judging.refusals import Notice
from judging.results.comments import JurorComments, shared_comments
from judging.scoring.types import english

# Moderation signals about the jury's work, not facts about the entry: organizers only.
INTERNAL_FLAGS = frozenset({"disagreement", "few_marks"})


@dataclass(frozen=True)
class Part:
    """One labelled number of the breakdown (a component, a juror's score, a criterion mean)."""

    label: str | Notice  # a Notice where the app names it (juror, component): shown as picked
    score: Decimal
    weight: str | None = None  # percent, already formatted ("30", "12.5")


@dataclass(frozen=True)
class EntryResult:
    """What the participant's entry page shows of a published result: plain values only."""

    rank: int
    total: Decimal
    band: str | None
    award: str | None
    advanced: bool
    jurors_counted: int
    components: list[Part] = field(default_factory=list)
    juror_scores: list[Part] = field(default_factory=list)
    criterion_means: list[Part] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    special_awards: list[str] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    comments: list[JurorComments] = field(default_factory=list)


def published_result(entry: Entry) -> EntryResult | None:
    """The entry's frozen result once published; None before (or when nothing was frozen)."""
    if not published(entry.category.competition):
        return None
    row = _result_row(entry)
    if row is None:
        return None
    b = row.breakdown or {}
    return EntryResult(
        rank=row.rank, total=row.total, band=_band(entry, row.band), award=row.award,
        advanced=row.advanced, jurors_counted=row.jurors_counted,
        components=_components(entry, row, b.get("weights") or {}),
        juror_scores=anonymous_juror_scores(b.get("juror_scores") or {}),
        criterion_means=_criterion_means(entry, b.get("criterion_means") or {}),
        flags=_flags(entry, row.flags or ()),
        special_awards=list(db.session.scalars(
            select(SpecialAward.label).where(SpecialAward.entry_id == entry.id)
            .order_by(SpecialAward.id))),
        certificates=list(db.session.scalars(
            select(Certificate).where(Certificate.entry_id == entry.id,
                                      Certificate.revoked_at.is_(None))
            .order_by(Certificate.serial))),
        comments=shared_comments(entry, b.get("juror_scores") or {}),
    )


def anonymous_juror_scores(scores: dict) -> list[Part]:
    """Per-juror scores as "Juri 1, 2, …" in ascending juror-id order (stable, nameless)."""
    ordered = sorted(scores.items(), key=lambda item: int(item[0]))
    return [Part(Notice(f"Juri {i}", f"Juror {i}"), _decimal(score))
            for i, (_juror, score) in enumerate(ordered, start=1)]


def result_summaries(entries: Iterable[Entry]) -> dict[int, Notice]:
    """A one-line summary ("Peringkat 2 · Menuju Informatif") per published entry, by id."""
    shown = {e.id: e for e in entries if published(e.category.competition)}
    ids = list(shown)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Result.entry_id, Result.rank, Result.award, Result.band)
        .join(Entry, Entry.id == Result.entry_id)
        .where(Result.entry_id.in_(ids), Result.category_id == Entry.category_id)
    )
    out = {}
    for entry_id, rank, award, band in rows:
        band = _band(shown[entry_id], band)
        rest_id, rest_en = [p for p in (award, band) if p], [award, english(band) or band]
        out[entry_id] = Notice(" · ".join(dict.fromkeys([f"Peringkat {rank}", *rest_id])),
                               " · ".join(dict.fromkeys([f"Rank {rank}", *filter(None, rest_en)])))
    return out


def _band(entry: Entry, band: str | None) -> str | None:
    """The frozen band as its method's ``Text`` (with English), or as stored."""
    method = methods().methods.get(entry.category.method_key)
    return method.band_text(band) if method and band else band


def _result_row(entry: Entry) -> Result | None:
    return db.session.scalar(select(Result).where(
        Result.entry_id == entry.id, Result.category_id == entry.category_id))


def _components(entry: Entry, row: Result, weights: dict) -> list[Part]:
    """Components in the method's order with its labels; unknown keys (old plugins) last."""
    try:
        declared = list(methods().get(entry.category.method_key).components)
    except KeyError:  # the method's plugin was removed after publishing: keep the raw keys
        declared = []
    values = dict(row.components or {})
    parts = [Part(Notice(c.label, c.label_en), _decimal(values.pop(c.key)),
                  _percent(weights.get(c.key))) for c in declared if c.key in values]
    parts += [Part(k, _decimal(v), _percent(weights.get(k))) for k, v in values.items()]
    return parts


def _criterion_means(entry: Entry, means: dict) -> list[Part]:
    """Mean jury mark per rubric line, labelled and ordered by the category's criteria."""
    method = methods().methods.get(entry.category.method_key)
    return [Part(Notice(c.label, english(c.label) or c.label), _decimal(means[c.key]))
            for c in rubric(entry.category.criteria, method) if c.key in means]


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _percent(weight) -> str | None:
    return None if weight is None else f"{float(weight):g}"


def _flags(entry: Entry, keys) -> list[str]:
    """The entry's public flags in the reader's language, labelled by its method."""
    labels = methods().get(entry.category.method_key).flag_labels(interface_language())
    return [labels.get(key, key) for key in keys if key not in INTERNAL_FLAGS]
