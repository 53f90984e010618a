"""Organizer workspace routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from judging.permissions import access, managed_competitions

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.route("/")
@access("organizer")
def home():
    """The competitions this organizer runs."""
    return render_template(
        "organizer/home.html", competitions=managed_competitions(current_user)
    )
