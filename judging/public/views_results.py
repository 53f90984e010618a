"""Published results: winners per category, bands and awards, for anyone; 404 before."""

from __future__ import annotations

from flask import render_template

from judging.pages.loading import published_competition
from judging.permissions import access
from judging.public.blueprint import bp
from judging.results.previous import previous_results
from judging.results.publish import published_rankings


@bp.route("/results/<int:competition_id>")
@access("public")
def results(competition_id: int):
    """A competition's published winners, readable on a phone and printable."""
    competition = published_competition(competition_id)
    rankings = published_rankings(competition)
    risen = set()
    if competition.show_rank_rise:
        risen = {e for r in rankings for e, p in previous_results(r).items() if p.rose}
    return render_template("public/results.html", competition=competition,
                           rankings=rankings, risen=risen)
