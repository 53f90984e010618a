"""Participant routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from judging.extensions import db
from judging.models import Entry
from judging.permissions import access, participant_entrant_ids

bp = Blueprint("participant", __name__, url_prefix="/participant")


@bp.route("/")
@access("participant")
def home():
    """The entries of the entrants this participant acts for."""
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.entrant_id.in_(participant_entrant_ids(current_user)))
        .order_by(Entry.id)
    ).all()
    return render_template("participant/home.html", entries=entries)
