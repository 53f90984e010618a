"""Freezing rankings into results at ``final``, reading them back, discarding on reopen.

The organizer's phase change calls :func:`freeze_results` on entering ``final`` and
:func:`discard_results` when stepping back out of it; both only stage rows and audit
events in the current session, the caller commits them with the phase change.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import exists, func, insert, select, true

from judging import plugin_setup as plugin_events
from judging.audit import record
from judging.extensions import db
from judging.marking.scores import rubric
from judging.models import Category, Competition, Result
from judging.models.types import utcnow
from judging.phases import results_frozen
from judging.plugin_setup import methods
from judging.results.awards import special_awards
from judging.results.live import Line, Ranking, live_ranking, live_selection, live_window
from judging.scoring.types import CategoryInfo, RankedEntry


def freeze_results(competition: Competition, override: dict | None = None, *, progress=None,
                   actor_id: int | None = None) -> list[Result]:
    """Store every category's live ranking as Result rows, audited; plugins hear on commit.

    A category that already holds results keeps them (stepping back from ``published``
    to ``final`` must not recompute frozen numbers). Raises ValueError when a category
    cannot be ranked; the caller rolls back and nothing is half-frozen. ``override``
    (the reason and gaps the organizer went on despite) is kept on each category's rows.
    ``progress(done, total, message)`` hears each category as it is ranked.
    """
    now, created, frozen = utcnow(), [], []
    with db.session.no_autoflush:  # every read before the first write (the phase change
        # staged by the caller waits too), so SQLite's write lock is held only to store rows
        categories = [c for c in competition.categories if not _has_results(c)]
        for done, category in enumerate(categories):
            if progress is not None:
                progress(done, len(categories) + 1, f"{category.name} ({category.code})")
            frozen.append(live_ranking(category))
    for ranking in frozen:
        category = ranking.category
        kept = _category_override(override, category.id)
        rows = [_result_row(category, line, ranking, now, kept) for line in ranking.lines]
        if rows:  # one executemany: a province-wide category has 5,000 lines
            db.session.execute(insert(Result), [_columns(row) for row in rows])
        created += rows
        record("results.frozen", object_type="category", object_id=category.id,
               competition_id=competition.id, after=_summary(rows), actor_id=actor_id)
    db.session.flush()
    for ranking in frozen:  # heard by plugins only once the caller commits the phase change
        plugin_events.ranking_frozen(category_info(ranking.category),
                                     tuple(line.ranked for line in ranking.lines))
    return created


def discard_results(competition: Competition) -> int:
    """Delete the frozen results of every category, recording what they were; returns count."""
    removed = 0
    for category in competition.categories:
        rows = _results(category)
        if not rows:
            continue
        record("results.discarded", object_type="category", object_id=category.id,
               competition_id=competition.id, before=_summary(rows))
        for row in rows:
            db.session.delete(row)
        removed += len(rows)
    db.session.flush()
    return removed


def is_frozen_phase(competition: Competition) -> bool:
    """Whether the competition is at a phase whose numbers come from frozen results."""
    return results_frozen(competition)


def frozen_ranking(category: Category, *, offset: int = 0, limit: int | None = None,
                   where=None) -> Ranking | None:
    """The category's frozen ranking (or the lines ``offset`` … ``offset + limit``, or those
    ``where`` selects), or None when nothing was frozen."""
    rows = db.session.execute(
        select(*_LINE_COLUMNS)
        .where(Result.category_id == category.id, true() if where is None else where)
        .order_by(Result.rank, Result.id).offset(offset).limit(limit)
    ).all()
    if not rows:
        return None
    specials = special_awards(category.id)
    lines = [_line(row, specials.get(row.entry_id, ())) for row in rows]
    names = {int(j): n for row in rows for j, n in row.breakdown.get("juror_names", {}).items()}
    method = methods().get(category.method_key)
    return Ranking(category, method, rubric(category.criteria, method),
                   lines, frozen=True, frozen_at=min(r.frozen_at for r in rows),
                   juror_names=names, override=rows[0].breakdown.get("override"))


def ranking_page(category: Category, page: int, per_page: int) -> tuple[Ranking, int]:
    """One page of the ranking that counts now, and how many lines it has in all.

    Frozen results are read a page at a time; a live ranking is computed whole (ranks
    need the whole cohort) and only the page's lines are dressed for showing.
    """
    offset = (max(page, 1) - 1) * per_page
    if is_frozen_phase(category.competition):
        count = db.session.scalar(select(func.count()).where(Result.category_id == category.id))
        if count:
            frozen = frozen_ranking(category, offset=offset, limit=per_page)
            if frozen is None:  # a page past the end
                frozen = replace(frozen_ranking(category, limit=1), lines=[])
            return frozen, count
    return live_window(category, offset, per_page)


def ranking_lines(category: Category, *, entry_id: int | None = None
                  ) -> tuple[Ranking, int]:
    """The lines that count now of one entry, or (``entry_id`` None) of the awarded places,
    and how many lines the ranking has: what a summary or one breakdown shows."""
    if is_frozen_phase(category.competition):
        count = db.session.scalar(select(func.count()).where(Result.category_id == category.id))
        if count:
            chosen = (Result.entry_id == entry_id if entry_id is not None
                      else Result.award.is_not(None))
            frozen = frozen_ranking(category, where=chosen)
            return frozen or replace(frozen_ranking(category, limit=1), lines=[]), count
    if entry_id is not None:
        return live_selection(category, lambda r: r.entry_id == entry_id)
    return live_selection(category, lambda r: r.rank <= category.places and r.advanced)


def current_ranking(category: Category) -> Ranking:
    """The ranking that counts now: frozen results once final, the live ranking before."""
    if is_frozen_phase(category.competition):
        frozen = frozen_ranking(category)
        if frozen is not None:
            return frozen
    return live_ranking(category)


def category_info(category: Category) -> CategoryInfo:
    """The frozen value plugins receive for a category."""
    return CategoryInfo(id=category.id, name=category.name, code=category.code,
                        competition_id=category.competition_id, method=category.method_key,
                        level=category.level, places=category.places)


_LINE_COLUMNS = (Result.entry_id, Result.rank, Result.total, Result.components, Result.band,
                 Result.award, Result.advanced, Result.jurors_counted, Result.flags,
                 Result.breakdown, Result.frozen_at)


def _has_results(category: Category) -> bool:
    return db.session.scalar(
        select(exists().where(Result.category_id == category.id))
    )


def _results(category: Category) -> list[Result]:
    return list(db.session.scalars(
        select(Result).where(Result.category_id == category.id)
        .order_by(Result.rank, Result.id)
    ))


def _category_override(override: dict | None, category_id: int) -> dict | None:
    """The override as it concerns one category, or None when nothing there was missing."""
    if not override:
        return None
    gaps = [g for g in override["gaps"] if g["category_id"] == category_id]
    return {"reason": override["reason"], "at": override["at"], "gaps": gaps} if gaps else None


def _result_row(category: Category, line: Line, ranking: Ranking, now,
                override: dict | None = None) -> Result:
    r = line.ranked
    return Result(
        category_id=category.id, entry_id=r.entry_id, rank=r.rank, total=r.total,
        components={k: str(v) for k, v in r.components.items()}, band=r.band,
        award=line.award, advanced=r.advanced, jurors_counted=r.jurors_counted,
        flags=list(r.flags), frozen_at=now,
        breakdown={
            "name": r.name, "entry_code": line.entry_code, "entrant_code": line.entrant_code,
            "subscores": r.subscores, "weights": r.weights,
            "juror_scores": {str(j): s for j, s in r.juror_scores.items()},
            "juror_names": {str(j): ranking.juror_names.get(j, "") for j in r.juror_scores},
            "criterion_means": line.criterion_means, "method": category.method_key,
            "override": override,
        },
    )


def _columns(row: Result) -> dict:
    return {c.key: getattr(row, c.key) for c in Result.__table__.columns if c.key != "id"}


def _line(row, specials) -> Line:
    """A ranking line from a frozen result row (an ORM object or a row of its columns)."""
    b = row.breakdown or {}
    ranked = RankedEntry(
        entry_id=row.entry_id, name=b.get("name", ""), rank=row.rank, total=row.total,
        components={k: Decimal(v) for k, v in (row.components or {}).items()},
        band=row.band, advanced=row.advanced, jurors_counted=row.jurors_counted,
        juror_scores={int(j): s for j, s in b.get("juror_scores", {}).items()},
        subscores=b.get("subscores", {}), weights=b.get("weights", {}),
        flags=tuple(row.flags or ()),
    )
    return Line(ranked, b.get("entry_code", ""), b.get("entrant_code", ""), award=row.award,
                special_awards=tuple(specials),
                criterion_means=b.get("criterion_means", {}))


def _summary(rows: list[Result]) -> dict:
    """What an audit reader needs: how many lines, and every awarded line's numbers."""
    return {
        "entries": len(rows),
        "awarded": [
            {"entry_id": r.entry_id, "rank": r.rank, "total": str(r.total), "award": r.award}
            for r in rows if r.award
        ],
        "totals": {str(r.entry_id): str(r.total) for r in rows},
    }


def warm_up(absent) -> None:
    """Compile a frozen ranking's reads before a worker's first request (no such category)."""
    frozen_ranking(absent(Category))
