"""Looking up a certificate by the code printed on it, for the public verification page."""

from __future__ import annotations

from sqlalchemy import select

from judging.certificates.context import competition_title
from judging.certificates.serials import CODE_LENGTH, normalise_code
from judging.extensions import db
from judging.models import Certificate


def find_by_code(raw: str) -> Certificate | None:
    """The certificate with this code (typed loosely: case, spaces, dashes), or None."""
    code = normalise_code(raw)
    if len(code) < CODE_LENGTH:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def replacement_of(cert: Certificate) -> Certificate | None:
    """The certificate issued to replace this one, if any."""
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id == cert.id))


def describe(cert: Certificate) -> dict:
    """The facts the verification page confirms: the snapshot taken at issue, never live data.

    Certificates issued before snapshots existed fall back to the current records.
    """
    if cert.snapshot:
        return {**cert.snapshot, "serial": cert.serial, "code": cert.code,
                "issued_at": cert.issued_at, "revoked_at": cert.revoked_at,
                "timezone": cert.competition.timezone}
    return {
        "serial": cert.serial, "code": cert.code, "entrant_name": cert.entry.entrant.name,
        "award": cert.award, "band": cert.band, "kind": cert.kind,
        "category_name": cert.entry.category.name,
        "competition_name": competition_title(cert.competition),
        "organiser_name": cert.competition.organisation.name,
        "issued_at": cert.issued_at, "revoked_at": cert.revoked_at,
        "timezone": cert.competition.timezone,
    }
