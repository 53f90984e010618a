"""Results as JSON: published results for other portals (404 before), rankings for organizers."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from judging.api.blueprint import bp
from judging.extensions import db
from judging.models import Category
from judging.pages.loading import published_competition
from judging.permissions import access, can_manage_competition, require
from judging.results.freeze import current_ranking
from judging.results.publish import published_rankings
from judging.results.serialise import public_results, ranking_dict


@bp.route("/competitions/<int:competition_id>/results")
@access("public")
def competition_results(competition_id: int):
    """Winners, bands and awards of every category of a published competition."""
    competition = published_competition(competition_id)
    return public_results(competition, published_rankings(competition))


@bp.route("/categories/<int:category_id>/ranking")
@access("organizer")
def category_ranking(category_id: int):
    """A category's ranking with every breakdown, jurors named: the organizers' own data."""
    category = db.session.get(Category, category_id) or abort(404)
    require(can_manage_competition(current_user, category.competition))
    try:
        ranking = current_ranking(category)
    except ValueError as problem:
        return {"error": str(problem)}, 409
    return ranking_dict(ranking, detail=True, named_jurors=True)
