"""Loaders that answer 404 for what a page may not show, shared by the public pages and the API."""

from __future__ import annotations

from flask import abort

from judging.extensions import db
from judging.models import Competition
from judging.phases import published


def published_competition(competition_id: int) -> Competition:
    """The competition if it is published; anything else is not found (not even 403)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or not published(competition):
        abort(404)
    return competition
