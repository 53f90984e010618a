"""The public front page: published competitions."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from judging.extensions import db
from judging.models import Competition
from judging.permissions import access
from judging.public.blueprint import bp


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
