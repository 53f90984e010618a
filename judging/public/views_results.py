"""Published results: winners per category, bands and awards, for anyone; 404 before."""

from __future__ import annotations

from flask import abort, render_template

from judging.extensions import db
from judging.models import Competition
from judging.permissions import access
from judging.phases import published
from judging.public.blueprint import bp
from judging.results.publish import published_rankings


def published_competition(competition_id: int) -> Competition:
    """The competition if it is published; anything else is not found (not even 403)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or not published(competition):
        abort(404)
    return competition


@bp.route("/results/<int:competition_id>")
@access("public")
def results(competition_id: int):
    """A competition's published winners, readable on a phone and printable."""
    competition = published_competition(competition_id)
    return render_template("public/results.html", competition=competition,
                           rankings=published_rankings(competition))
