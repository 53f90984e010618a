"""Organizer workspace routes; the views live in the ``views_*`` modules of this area."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from judging.competitions.attention import overview
from judging.competitions.editing import organisations_for
from judging.permissions import (
    access,
    can_manage_organisation,
    managed_competitions,
    organiser_ids,
)

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.context_processor
def organizer_context():
    """Lets organizer templates ask whether the user manages an organising body."""
    return {"manages_body": lambda organisation_id: can_manage_organisation(
        current_user, organisation_id)}


@bp.route("/")
@access("organizer")
def home():
    """The organizer's dashboard: each running competition's deadline, progress and to-dos."""
    competitions = managed_competitions(current_user)
    return render_template(
        "organizer/home.html", competitions=competitions,
        overviews={c.id: overview(c) for c in competitions if c.phase != "published"},
        organisations=organisations_for(current_user, organiser_ids(current_user)),
    )


from judging.organizer import (  # noqa: E402,F401  (register the routes)
    views_categories,
    views_certificates,
    views_competitions,
    views_entrants,
    views_jobs,
    views_jury,
    views_moderation,
    views_monev,
    views_progress,
    views_rankings,
    views_saq,
)
