"""The evidence download shared by participants, jurors and organizers."""

from __future__ import annotations

import logging

from flask import abort, request
from flask_login import current_user

from judging.downloads.blueprint import bp
from judging.evidence import evidence_response
from judging.extensions import db
from judging.io.files.storage import MissingEvidence
from judging.models import Evidence
from judging.permissions import (
    access,
    can_open_evidence_inline,
    can_view_evidence,
    sees_entry_blind,
)

log = logging.getLogger(__name__)


@bp.route("/evidence/<int:evidence_id>")
@access("participant", "juror", "organizer")
def evidence_download(evidence_id: int):
    """Send one evidence file to someone allowed to see its entry (404 for anyone else)."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.kind != "file" or not can_view_evidence(
        current_user, evidence.entry
    ):
        abort(404)
    entry = evidence.entry
    inline = request.args.get("inline") == "1" and can_open_evidence_inline(current_user, entry)
    try:
        return evidence_response(evidence, inline=inline,
                                 anonymous=sees_entry_blind(current_user, entry))
    except MissingEvidence:
        log.error("evidence %s: stored file %s is missing", evidence.id, evidence.storage_key)
        abort(404)
