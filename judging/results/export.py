"""From the database to the ranking workbook: frozen results once final, live before."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from judging.i18n import (
    band_label,
    component_names,
    export_words,
    interface_language,
    label,
    method_label,
    pick,
    speaking,
)
from judging.io.xlsx.bulk import collector_paused
from judging.io.xlsx.words import Words
from judging.models import Category, Competition
from judging.models.types import utcnow
from judging.plugin_setup import methods
from judging.results.freeze import category_info, current_ranking
from judging.results.live import Ranking
from judging.results.previous import previous_sheet
from judging.results.whatif import whatif_sheet
from judging.scoring.types import CategoryResults, CompetitionInfo

if TYPE_CHECKING:  # the writer pulls in openpyxl: loaded by the first export, not at start-up
    from judging.io.xlsx.ranking import ExportCategory, ExportCompetition, Progress

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_category(ranking: Ranking, words: Words, *, named_jurors: bool) -> ExportCategory:
    """One category's ranking as the workbook writer's rows, labels in the spoken language."""
    from judging.io.xlsx.ranking import ExportCategory, row_from_ranked

    labels = ranking.juror_labels(named=named_jurors)
    flags = ranking.method.flag_labels(words.lang)
    key = ranking.category.method_key
    rows = [
        replace(row_from_ranked(line.ranked, entrant_code=line.entrant_code, juror_labels=labels,
                                award=label("award", line.award) if line.award else None,
                                special_awards=line.special_awards, words=words,
                                criterion_means=line.criterion_means, flag_labels=flags),
                band=band_label(key, line.ranked.band, empty=None))
        for line in ranking.lines
    ]
    category = ranking.category
    names = component_names(key)
    return ExportCategory(
        name=category.name, method_label=method_label(key), level=label("level", category.level),
        components=[replace(c, label=names.get(c.key, c.label)) for c in ranking.method.components],
        criteria=[replace(c, label=pick(c.label, c.label_en or None)) for c in ranking.criteria],
        rows=rows, override_note=override_note(ranking.override, words),
    )


def override_note(override: dict | None, words: Words) -> str:
    """The readiness override as one line for the workbook, or ''."""
    if not override:
        return ""
    gaps = "; ".join(pick(g["message_id"], g.get("message_en")) for g in override.get("gaps", []))
    return words("Dibekukan dengan pengecualian: %(reason)s (data kurang: %(gaps)s)",
                 reason=override["reason"], gaps=gaps)


def export_competition(competition: Competition, rankings: Sequence[Ranking], *,
                       named_jurors: bool) -> ExportCompetition:
    """The competition with the given rankings, stamped in its own time zone."""
    from judging.io.xlsx.ranking import ExportCompetition

    words = export_words()
    try:
        zone = ZoneInfo(competition.timezone or "Asia/Jakarta")
    except (KeyError, ValueError):
        zone = ZoneInfo("Asia/Jakarta")
    return ExportCompetition(
        name=competition.name, year=competition.year, organiser=competition.organisation.name,
        categories=[export_category(r, words, named_jurors=named_jurors) for r in rankings],
        generated_at=utcnow().astimezone(zone), words=words,
    )


def ranking_workbook(competition: Competition, category: Category | None = None, *,
                     include_jurors: bool = True, progress: Progress | None = None,
                     lang: str | None = None) -> bytes:
    """The ``.xlsx`` of the whole competition or one category, plugin sheets included.

    ``include_jurors`` adds the per-juror sheet with jurors named: organizers only. ``lang``
    is the reader's language (default: the interface's, Indonesian outside a request).
    """
    with speaking(lang or interface_language()):
        return _ranking_workbook(competition, category, include_jurors, progress)


def _ranking_workbook(competition, category, include_jurors, progress) -> bytes:
    from judging.io.xlsx.ranking import write_ranking_workbook

    categories = [category] if category is not None else list(competition.categories)
    with collector_paused():
        rankings = [current_ranking(c) for c in categories]
        comp = export_competition(competition, rankings, named_jurors=include_jurors)
    extra = methods().export_sheets(
        CompetitionInfo(id=competition.id, name=competition.name, year=competition.year,
                        code=competition.code, phase=competition.phase),
        tuple(CategoryResults(**vars(category_info(r.category)),
                              results=tuple(line.ranked for line in r.lines))
              for r in rankings),
    )
    if include_jurors:  # the comparison is the organizers' working view, like the juror sheet
        extra = [whatif_sheet(categories, comp.words), *extra]
    last_year = previous_sheet(competition, rankings, comp.words)
    if last_year is not None:
        extra = [last_year, *extra]
    return write_ranking_workbook(comp, include_jurors=include_jurors, extra_sheets=extra,
                                  progress=progress)


def workbook_name(competition: Competition, category: Category | None = None) -> str:
    """A readable file name: ``Peringkat-<code>[-<category code>].xlsx``."""
    parts = ["Peringkat", competition.code] + ([category.code] if category else [])
    return "-".join(p.replace("/", "-").replace(" ", "_") for p in parts) + ".xlsx"
