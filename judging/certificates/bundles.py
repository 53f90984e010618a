"""All of a competition's certificates at once: a ZIP of the stored PDFs, or one
printable PDF (one certificate a page) rendered in the background job
``certificates.print``.
"""

from __future__ import annotations

import io
import re
import zipfile

from flask import Response
from sqlalchemy import select

from judging.certificates.context import context_of
from judging.certificates.design import design_settings, resources
from judging.evidence import evidence_store, stored_file_response
from judging.extensions import db
from judging.io.certificates.pdfs import render_batch
from judging.jobs import JobFailed, job_handler
from judging.models import Certificate, Competition
from judging.refusals import both

PRINT_KIND = "certificates.print"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def active_certificates(competition: Competition) -> list[Certificate]:
    """The certificates that still stand (not revoked), in serial order."""
    rows = db.session.scalars(
        select(Certificate).where(Certificate.competition_id == competition.id,
                                  Certificate.revoked_at.is_(None))
    )
    return sorted(rows, key=serial_order)


def serial_order(cert: Certificate) -> tuple:
    """Prefix, then the number as a number (``…/1000`` after ``…/999``)."""
    prefix, _, number = cert.serial.rpartition("/")
    return (prefix, int(number) if number.isdigit() else 0, cert.serial)


def file_name(cert: Certificate) -> str:
    """A portable file name: serial and entrant, ASCII only (``IKP-2023-MS-001_Kel-X.pdf``)."""
    entrant = _UNSAFE.sub("-", cert.entry.entrant.name).strip("-")[:60]
    return f"{_UNSAFE.sub('-', cert.serial)}_{entrant}.pdf"


def zip_name(competition: Competition) -> str:
    """The download name of the ZIP."""
    return f"sertifikat-{_UNSAFE.sub('-', competition.code)}.zip"


def zip_bytes(certificates: list[Certificate]) -> bytes:
    """The stored PDFs in one ZIP (stored, not deflated: PDFs are compressed already)."""
    store = evidence_store()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for cert in certificates:
            handle = store.open(cert.storage_key)
            try:
                archive.writestr(file_name(cert), handle.read())
            finally:
                handle.close()
    return out.getvalue()


@job_handler(PRINT_KIND)
def print_job(job, progress) -> None:
    """Background job: every standing certificate in one PDF, one a page, for printing."""
    competition = db.session.get(Competition, job.params["competition_id"])
    certificates = active_certificates(competition) if competition else []
    if not certificates:
        raise JobFailed("Belum ada sertifikat yang berlaku untuk dicetak.")
    progress(0, len(certificates), f"Menyusun {len(certificates)} halaman…")
    settings = design_settings(competition)
    ctxs = [context_of(c, settings) for c in certificates]
    pdf = render_batch(ctxs, settings.engine_design(), resources=resources(settings))
    job.result_key = evidence_store().put(io.BytesIO(pdf))
    job.result_name = f"sertifikat-{_UNSAFE.sub('-', competition.code)}-cetak.pdf"
    job.message = both(f"{len(certificates)} halaman.", f"{len(certificates)} pages.")


def pdf_response(cert: Certificate) -> Response:
    """A stored certificate PDF as a download, for organizers and the certificate's owner."""
    response = stored_file_response(cert.storage_key, file_name(cert), "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
