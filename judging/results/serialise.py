"""Rankings as plain JSON-ready dicts: full detail for organizers, winners for the public."""

from __future__ import annotations

from judging.models import Competition
from judging.results.live import Line, Ranking
from judging.results.whatif import CategoryWhatIf, stability_note, trimmed_note


def _money(value) -> str:
    return f"{value:.2f}"


def line_dict(line: Line, *, detail: bool, labels: dict[int, str] | None = None,
              criteria: dict[str, str] | None = None,
              flags: dict[str, str] | None = None) -> dict:
    """One line; ``detail`` adds components, flags and the breakdown (never in public)."""
    r = line.ranked
    out = {
        "rank": r.rank, "entrant_code": line.entrant_code, "entrant_name": r.name,
        "total": _money(r.total), "band": r.band, "award": line.award,
        "special_awards": list(line.special_awards),
    }
    if detail:
        labels, criteria, flags = labels or {}, criteria or {}, flags or {}
        out.update({
            "entry_id": r.entry_id, "entry_code": line.entry_code,
            "components": {k: _money(v) for k, v in r.components.items()},
            "advanced": r.advanced, "jurors_counted": r.jurors_counted,
            "flags": [{"key": f, "label": flags.get(f, f)} for f in r.flags],
            "breakdown": {
                "subscores": r.subscores, "weights": r.weights,
                "juror_scores": {labels.get(j, f"Juri {j}"): round(s, 2)
                                 for j, s in sorted(r.juror_scores.items())},
                "criterion_means": {criteria.get(k, k): v
                                    for k, v in line.criterion_means.items()},
            },
        })
    return out


def page_dict(ranking: Ranking, count: int, page: int, per_page: int, *,
              named_jurors: bool = True) -> dict:
    """One page of a category's ranking with every breakdown, and where it sits in the whole."""
    return {**ranking_dict(ranking, detail=True, named_jurors=named_jurors), "count": count,
            "page": page, "per_page": per_page, "pages": max(1, -(-count // per_page))}


def ranking_dict(ranking: Ranking, *, detail: bool, named_jurors: bool = False) -> dict:
    """A category's ranking; ``detail=False`` keeps only what may be published."""
    c = ranking.category
    labels = ranking.juror_labels(named=named_jurors)
    criteria = {k.key: k.label for k in ranking.criteria}
    out = {
        "category": {"id": c.id, "name": c.name, "code": c.code, "level": c.level,
                     "method": c.method_key, "places": c.places},
        "frozen": ranking.frozen,
        "frozen_at": ranking.frozen_at.isoformat() if ranking.frozen_at else None,
        "winners": [line_dict(line, detail=False) for line in ranking.lines if line.is_winner],
        "lines": [line_dict(line, detail=detail, labels=labels, criteria=criteria,
                            flags=ranking.method.flag_labels("id"))
                  for line in ranking.lines],
    }
    if detail:
        out["components"] = [{"key": k.key, "label": k.label, "jury": k.jury}
                             for k in ranking.method.components]
    return out


def public_results(competition: Competition, rankings: list[Ranking]) -> dict:
    """The published results of a competition: winners, bands and awards, no juror detail."""
    return {
        "competition": {"id": competition.id, "name": competition.name,
                        "year": competition.year, "code": competition.code,
                        "organiser": competition.organisation.name},
        "categories": [ranking_dict(r, detail=False) for r in rankings],
    }


def whatif_dict(view: CategoryWhatIf) -> dict:
    """A category's what-if ranking for the JSON API: every variant's rank and total."""
    result, c = view.result, view.category
    stable_id, stable_en = stability_note(result)
    trimmed = trimmed_note(result)
    return {
        "category": {"id": c.id, "name": c.name, "code": c.code},
        "variants": [{"key": v.key, "label": v.label, "label_en": v.label_en,
                      "aggregation": v.aggregation, "normalise": v.normalise}
                     for v in result.variants],
        "current": result.current, "base": result.base,
        "stable": result.stable, "stable_places": result.stable_places,
        "note": {"id": stable_id, "en": stable_en},
        "trimmed_note": {"id": trimmed[0], "en": trimmed[1]} if trimmed else None,
        "lines": [{"entry_id": line.entry_id, "entrant_code": view.entrant_codes.get(line.entry_id),
                   "entrant_name": line.name, "changed": line.changed,
                   "ranks": line.ranks, "totals": {k: _money(v) for k, v in line.totals.items()}}
                  for line in result.lines],
    }
