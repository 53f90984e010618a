"""The organizer's start page: a dashboard of their competitions and organising bodies."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from judging.competitions.attention import overview
from judging.competitions.editing import organisations_for
from judging.organizer.blueprint import bp
from judging.permissions import access, managed_competitions, organiser_ids


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
