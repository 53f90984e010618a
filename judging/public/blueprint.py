"""Public routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from judging.extensions import db
from judging.models import Competition
from judging.permissions import access

bp = Blueprint("public", __name__)


@bp.route("/")
@access("public")
def home():
    """Published competitions, newest first."""
    competitions = db.session.scalars(
        select(Competition)
        .where(Competition.phase == "published")
        .order_by(Competition.year.desc(), Competition.name)
    ).all()
    return render_template("public/home.html", competitions=competitions)


from judging.public import views_results, views_verify  # noqa: E402,F401  (register the routes)
