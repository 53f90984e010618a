"""Juror routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from judging.extensions import db
from judging.models import Competition, RoleGrant
from judging.permissions import access

bp = Blueprint("jury", __name__, url_prefix="/jury")


@bp.route("/")
@access("juror")
def home():
    """The competitions this juror judges."""
    competitions = db.session.scalars(
        select(Competition)
        .join(RoleGrant, RoleGrant.competition_id == Competition.id)
        .where(RoleGrant.user_id == current_user.id, RoleGrant.role == "juror")
        .order_by(Competition.year.desc())
    ).all()
    return render_template("jury/home.html", competitions=competitions)
