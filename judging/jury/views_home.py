"""The juror's start page: assigned competitions and what is left to mark."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from judging.jury.blueprint import bp
from judging.marking.assignments import entry_rows, juror_competitions
from judging.permissions import access


@bp.route("/")
@access("juror")
def home():
    """The competitions this juror judges, with how many entries are left in each."""
    cards = []
    for competition in juror_competitions(current_user.id):
        rows = entry_rows(current_user.id, competition.id)
        cards.append((competition, len(rows), sum(1 for r in rows if r.status != "submitted")))
    return render_template("jury/home.html", competitions=cards)
