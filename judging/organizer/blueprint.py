"""Organizer workspace routes; the views live in the ``views_*`` modules of this area."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from judging.permissions import can_manage_organisation

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.context_processor
def organizer_context():
    """Lets organizer templates ask whether the user manages an organising body."""
    return {"manages_body": lambda organisation_id: can_manage_organisation(
        current_user, organisation_id)}


from judging.organizer import (  # noqa: E402,F401  (register the routes)
    views_admin,
    views_categories,
    views_certificates,
    views_competitions,
    views_entrants,
    views_home,
    views_invitations_bulk,
    views_jobs,
    views_jury,
    views_mail,
    views_moderation,
    views_monev,
    views_outbox,
    views_progress,
    views_rankings,
    views_saq,
)
