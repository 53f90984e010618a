"""Juror routes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from judging.permissions import access

bp = Blueprint("jury", __name__, url_prefix="/jury")


@bp.app_template_filter("plain_number")
def plain_number_filter(value) -> str:
    """Jinja: a Decimal as 80,5 or 100 (never 1E+2)."""
    from judging.marking.marks import plain_number

    return plain_number(value)


@bp.route("/")
@access("juror")
def home():
    """The competitions this juror judges, with how many entries are left in each."""
    from judging.marking.assignments import entry_rows, juror_competitions

    cards = []
    for competition in juror_competitions(current_user.id):
        rows = entry_rows(current_user.id, competition.id)
        cards.append((competition, len(rows), sum(1 for r in rows if r.status != "submitted")))
    return render_template("jury/home.html", competitions=cards)


from judging.jury import (  # noqa: E402,F401  (register the routes)
    views_marks,
    views_verification,
    views_workbook,
)
