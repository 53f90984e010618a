"""Results as JSON: published results for other portals (404 before), rankings for organizers."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from judging.api.blueprint import bp
from judging.extensions import db
from judging.fields import int_or
from judging.models import Category
from judging.pages.loading import published_competition
from judging.permissions import access, can_manage_competition, require
from judging.results.freeze import ranking_page
from judging.results.publish import published_rankings
from judging.results.serialise import page_dict, public_results, whatif_dict
from judging.results.whatif import category_what_if

PER_PAGE, MAX_PER_PAGE = 100, 1000


@bp.route("/competitions/<int:competition_id>/results")
@access("public")
def competition_results(competition_id: int):
    """Winners, bands and awards of every category of a published competition."""
    competition = published_competition(competition_id)
    return public_results(competition, published_rankings(competition))


@bp.route("/categories/<int:category_id>/ranking")
@access("organizer")
def category_ranking(category_id: int):
    """A page of a category's ranking (``?page=&per_page=``, with the total ``count``), every
    breakdown, jurors named: the organizers' own data."""
    category = db.session.get(Category, category_id) or abort(404)
    require(can_manage_competition(current_user, category.competition))
    page = int_or(request.args.get("page"), 1)
    per_page = int_or(request.args.get("per_page"), PER_PAGE)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return {"error": f"page >= 1, per_page 1-{MAX_PER_PAGE}"}, 400
    try:
        ranking, count = ranking_page(category, page, per_page)
    except ValueError as problem:
        return {"error": str(problem)}, 409
    return page_dict(ranking, count, page, per_page)


@bp.route("/categories/<int:category_id>/whatif")
@access("organizer")
def category_whatif(category_id: int):
    """The category under mean, median, trimmed mean and z-score: read-only, nothing saved."""
    category = db.session.get(Category, category_id) or abort(404)
    require(can_manage_competition(current_user, category.competition))
    try:
        view = category_what_if(category)
    except ValueError as problem:
        return {"error": str(problem)}, 409
    return whatif_dict(view)
