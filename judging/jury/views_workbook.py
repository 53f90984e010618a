"""Offline workbook routes for jurors (the flows live in judging.pages.workbook)."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from judging.extensions import db
from judging.jury.blueprint import bp
from judging.models import Competition
from judging.pages.workbook import confirm_flow, send_workbook, upload_flow
from judging.permissions import access, is_juror_in, require


def _juror_competition(competition_id: int) -> Competition:
    competition = db.get_or_404(Competition, competition_id)
    require(is_juror_in(current_user, competition))
    return competition


@bp.route("/competition/<int:competition_id>/workbook.xlsx")
@access("juror")
def workbook_download(competition_id: int):
    """Download the scoring workbook for the juror's assignments."""
    return send_workbook(current_user, _juror_competition(competition_id))


@bp.route("/competition/<int:competition_id>/workbook", methods=["GET", "POST"])
@access("juror")
def workbook_upload(competition_id: int):
    """Upload a filled workbook and preview the changes."""
    competition = _juror_competition(competition_id)
    return upload_flow(
        current_user, competition,
        confirm_url=url_for("jury.workbook_confirm", competition_id=competition.id),
        back_url=url_for("jury.competition", competition_id=competition.id),
    )


@bp.route("/competition/<int:competition_id>/workbook/confirm", methods=["POST"])
@access("juror")
def workbook_confirm(competition_id: int):
    """Apply (or discard) the previewed workbook."""
    competition = _juror_competition(competition_id)
    return confirm_flow(
        current_user, competition,
        back_url=url_for("jury.competition", competition_id=competition.id),
        retry_url=url_for("jury.workbook_upload", competition_id=competition.id),
    )
