"""Published results as JSON for other government portals; 404 before publishing."""

from __future__ import annotations

from judging.api.blueprint import bp
from judging.permissions import access
from judging.public.results import published_competition
from judging.results.publish import published_rankings
from judging.results.serialise import public_results


@bp.route("/competitions/<int:competition_id>/results")
@access("public")
def competition_results(competition_id: int):
    """Winners, bands and awards of every category of a published competition."""
    competition = published_competition(competition_id)
    return public_results(competition, published_rankings(competition))
