"""A participant's own certificates: the list and the PDF downloads (404 for anyone else's)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from judging.certificates.bundles import pdf_response
from judging.extensions import db
from judging.models import Certificate, Competition, Entry
from judging.participant.blueprint import bp
from judging.permissions import access, can_download_certificate, participant_entrant_ids


@bp.route("/certificates")
@access("participant")
def certificates():
    """Certificates of the entrants this participant acts for, once results are published."""
    rows = db.session.scalars(
        select(Certificate)
        .join(Entry, Certificate.entry_id == Entry.id)
        .join(Competition, Certificate.competition_id == Competition.id)
        .where(Entry.entrant_id.in_(participant_entrant_ids(current_user)),
               Competition.phase == "published")
        .order_by(Competition.year.desc(), Certificate.serial)
    ).all()
    return render_template("participant/certificates.html", certificates=rows)


@bp.route("/certificates/<int:certificate_id>/pdf")
@access("participant")
def certificate_pdf(certificate_id: int):
    """One of the participant's own certificates; any other id is "not found"."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or not can_download_certificate(current_user, cert):
        abort(404)
    return pdf_response(cert)
