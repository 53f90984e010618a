"""The organizer's start page: their competitions and organising bodies."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from judging.competitions.editing import organisations_for
from judging.organizer.blueprint import bp
from judging.permissions import access, managed_competitions, organiser_ids


@bp.route("/")
@access("organizer")
def home():
    """The competitions this organizer runs and the bodies whose entrants they manage."""
    return render_template(
        "organizer/home.html",
        competitions=managed_competitions(current_user),
        organisations=organisations_for(current_user, organiser_ids(current_user)),
    )
