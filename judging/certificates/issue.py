"""Issuing certificates from the frozen results, revoking and re-issuing them.

Certificates exist only from ``final`` on: they are made from the ``Result`` rows frozen
then (awards), the special awards, and optionally one participation certificate per
submitted entry. A batch is rendered in the background job ``certificates.generate``:
plan, number and render first (reporting progress), then stage every row at once, so
a failed job leaves no certificate behind. Running it again issues only what is missing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from judging.audit import record
from judging.certificates import bundles, serials
from judging.certificates.context import build_context, snapshot_changes, snapshot_of
from judging.certificates.design import DesignSettings, design_settings, resources
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.certificates.pdfs import CertificateError, render_certificate, render_each
from judging.jobs import JobFailed, job_handler, sweep_stale
from judging.mail import notify
from judging.models import Certificate, Competition, Entry, Job, Result, SpecialAward
from judging.models.competition import DEFAULT_AWARD_LABELS
from judging.models.types import utcnow
from judging.phases import certificates_issuable
from judging.refusals import Refused, both

PARTICIPATION_AWARD = "Peserta"
GENERATE_KIND = "certificates.generate"
SERIAL_RETRIES = 3
STALE_JOB = timedelta(hours=2)  # a batch still queued this long lost its queue entry


@dataclass
class Planned:
    """One certificate to issue, before it has a serial."""

    entry: Entry
    result: Result | None
    kind: str
    award: str
    band: str | None


@dataclass
class Draft:
    """A planned certificate with its serial, code and date, not yet in the session."""

    planned: Planned
    serial: str
    code: str
    issued_at: datetime


def ensure_issuable(competition: Competition) -> None:
    """Refuse before ``final``: until then there are no frozen numbers to certify."""
    if not certificates_issuable(competition):
        raise Refused(
            "Sertifikat baru dapat dibuat setelah kompetisi mencapai tahap final "
            "(peringkat dibekukan).",
            "Certificates can only be made once the competition is final (ranking frozen).",
        )


def ensure_not_running(competition: Competition) -> None:
    """One batch at a time per competition, so two batches never race for serials."""
    sweep_stale()  # a batch whose worker died is failed first, never waited for
    busy = db.session.scalar(select(exists().where(
        Job.kind == GENERATE_KIND, Job.competition_id == competition.id,
        Job.state.in_(("queued", "running")), Job.created_at > utcnow() - STALE_JOB)))
    if busy:
        raise Refused(
            "Pembuatan sertifikat untuk kompetisi ini sedang berjalan; tunggu sampai selesai.",
            "Certificates for this competition are being made already; wait for it to finish.",
        )


def plan(competition: Competition, *, participation: bool,
         participation_for_winners: bool = False) -> list[Planned]:
    """What is still to issue: awards, special awards, then (optionally) participation.

    Participation certificates go only to entries without an award, unless the organizer
    asks for them for winners too (``participation_for_winners``).

    A certificate already issued for the same entry, kind and award — even a revoked
    one — is not issued again; replacing it is an explicit re-issue.
    """
    category_ids = [c.id for c in competition.categories]
    if not category_ids:
        return []
    order = {c.id: i for i, c in enumerate(competition.categories)}
    results = db.session.scalars(select(Result).where(Result.category_id.in_(category_ids)))
    results = sorted(results, key=lambda r: (order[r.category_id], r.rank, r.id))
    by_entry = {r.entry_id: r for r in results}
    wanted = [Planned(r.entry, r, "winner", r.award.strip(), r.band)
              for r in results if r.award and r.award.strip()]
    specials = db.session.scalars(
        select(SpecialAward).join(Entry, SpecialAward.entry_id == Entry.id)
        .where(Entry.category_id.in_(category_ids)).order_by(SpecialAward.id)
    )
    wanted += [Planned(s.entry, by_entry.get(s.entry_id), "winner", s.label.strip(), None)
               for s in specials]
    awarded = {item.entry.id for item in wanted}
    if participation:
        entries = db.session.scalars(
            select(Entry).where(Entry.category_id.in_(category_ids), Entry.status == "submitted")
        )
        for entry in sorted(entries, key=lambda e: (order[e.category_id], e.entrant.name, e.id)):
            if entry.id in awarded and not participation_for_winners:
                continue
            result = by_entry.get(entry.id)
            wanted.append(Planned(entry, result, "participation", PARTICIPATION_AWARD,
                                  result.band if result else None))
    issued = {tuple(row) for row in db.session.execute(
        select(Certificate.entry_id, Certificate.kind, Certificate.award)
        .where(Certificate.competition_id == competition.id))}
    fresh, seen = [], set()
    for item in wanted:
        key = (item.entry.id, item.kind, item.award)
        if key not in issued and key not in seen:
            seen.add(key)
            fresh.append(item)
    return fresh


def allocate(competition: Competition, planned: list[Planned]) -> list[Draft]:
    """Give each planned certificate the next serial of its category and a fresh code."""
    prefixes = [serials.serial_prefix(competition, p.entry.category) for p in planned]
    numbers = serials.next_numbers(competition.organisation_id, set(prefixes))
    now = utcnow()
    drafts = []
    for item, prefix in zip(planned, prefixes, strict=True):
        drafts.append(Draft(item, serials.format_serial(prefix, numbers[prefix]),
                            serials.new_code(), now))
        numbers[prefix] += 1
    return drafts


def draft_context(competition, draft: Draft, settings: DesignSettings):
    """The engine context of a draft (nothing saved yet)."""
    p = draft.planned
    return build_context(
        competition=competition, entry=p.entry, serial=draft.serial, code=draft.code,
        kind=p.kind, award=p.award, band=p.band, result=p.result, issued_at=draft.issued_at,
        settings=settings,
    )


def certificate_row(competition, draft: Draft, storage_key: str,
                    settings: DesignSettings | None = None) -> Certificate:
    """The row for a rendered draft, with the snapshot of everything it prints."""
    p = draft.planned
    ctx = draft_context(competition, draft, settings or design_settings(competition))
    return Certificate(
        snapshot=snapshot_of(ctx, p.result),
        organisation_id=competition.organisation_id, competition_id=competition.id,
        entry_id=p.entry.id, result_id=p.result.id if p.result else None, kind=p.kind,
        award=p.award, band=p.band, serial=draft.serial, code=draft.code,
        storage_key=storage_key, issued_at=draft.issued_at,
    )


def render_drafts(competition, drafts, settings, progress=None) -> list[bytes]:
    """PDFs for the drafts, over the configured number of worker processes."""
    if not drafts:
        return []
    ctxs = [draft_context(competition, d, settings) for d in drafts]
    return render_each(ctxs, settings.engine_design(), resources=resources(settings),
                       workers=current_app.config.get("CERTIFICATE_WORKERS"), progress=progress)


@job_handler(GENERATE_KIND)
def generate_job(job, progress) -> None:
    """Background job: issue what is missing for a competition, then offer all as a ZIP."""
    competition = db.session.get(Competition, job.params["competition_id"])
    if competition is None:
        raise JobFailed(both("Kompetisi tidak ditemukan.", "The competition was not found."))
    try:
        ensure_issuable(competition)
        settings = design_settings(competition)
        settings.engine_design()
    except (Refused, CertificateError) as refusal:
        raise JobFailed(both(refusal.message_id, refusal.message_en)) from None
    planned = plan(competition, participation=bool(job.params.get("participation")),
                   participation_for_winners=bool(job.params.get("participation_for_winners")))
    total = len(planned) + 1
    progress(0, total, f"Menyiapkan {len(planned)} sertifikat…")
    drafts = allocate(competition, planned)
    pdfs = render_drafts(
        competition, drafts, settings,
        progress=lambda done, _all: progress(done, total, f"{done} dari {len(drafts)} dibuat"),
    )
    store = evidence_store()
    keys = [store.put(io.BytesIO(pdf)) for pdf in pdfs]
    clash = serials.taken_serials(competition.organisation_id, [d.serial for d in drafts])
    if clash:
        raise JobFailed("Nomor seri sudah dipakai oleh penerbitan lain yang berjalan bersamaan; "
                        "tidak ada sertifikat yang disimpan. Jalankan ulang.")
    rows = [certificate_row(competition, draft, key, settings)
            for draft, key in zip(drafts, keys, strict=True)]
    db.session.add_all(rows)
    record("certificates.generate", object_type="competition", object_id=competition.id,
           competition_id=competition.id, actor_id=job.created_by_id,
           after={"issued": [d.serial for d in drafts],
                  "participation": bool(job.params.get("participation"))})
    db.session.flush()
    notify.certificates_issued(rows)  # sent once the job's outcome commits
    certificates = bundles.active_certificates(competition)
    job.message = both(f"{len(drafts)} sertifikat baru; {len(certificates)} sertifikat berlaku.",
                       f"{len(drafts)} new certificates; {len(certificates)} valid.")
    if certificates:
        job.result_key = store.put(io.BytesIO(bundles.zip_bytes(certificates)))
        job.result_name = bundles.zip_name(competition)


def revoke(cert: Certificate, reason: str) -> None:
    """Revoke a certificate (it then verifies as revoked), with the reason, audited."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Tuliskan alasan pencabutan.", "Give a reason for revoking.")
    if cert.revoked_at is not None:
        raise Refused("Sertifikat ini sudah dicabut.",
                                 "This certificate is already revoked.")
    cert.revoked_at = utcnow()
    cert.revoke_reason = reason[:1000]
    record("certificate.revoke", object_type="certificate", object_id=cert.id,
           competition_id=cert.competition_id, before={"serial": cert.serial},
           after={"revoked_at": cert.revoked_at.isoformat(), "reason": cert.revoke_reason})


def reissue(cert: Certificate, reason: str) -> Certificate:
    """Replace a certificate with a new one (new serial and code); the old one is revoked.

    The new row's ``changes`` lists what it prints differently from the old snapshot.
    """
    competition = cert.competition
    ensure_issuable(competition)
    replaced = db.session.scalar(select(exists().where(Certificate.replaces_id == cert.id)))
    if replaced:
        raise Refused("Sertifikat ini sudah diterbitkan ulang.",
                                 "This certificate has already been re-issued.")
    if cert.revoked_at is None:
        revoke(cert, reason or "Diterbitkan ulang")
    settings = design_settings(competition)
    result = db.session.get(Result, cert.result_id) if cert.result_id else None
    planned = Planned(cert.entry, result, cert.kind, cert.award, cert.band)
    for attempt in range(SERIAL_RETRIES):
        (draft,) = allocate(competition, [planned])
        pdf = render_certificate(draft_context(competition, draft, settings),
                                 settings.engine_design(), resources=resources(settings))
        row = certificate_row(competition, draft, evidence_store().put(io.BytesIO(pdf)),
                              settings)
        row.replaces_id = cert.id
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # a concurrent writer took this serial: number again
            if attempt == SERIAL_RETRIES - 1:
                raise
            continue
        row.changes = snapshot_changes(cert.snapshot, row.snapshot)
        record("certificate.reissue", object_type="certificate", object_id=row.id,
               competition_id=competition.id, before={"serial": cert.serial},
               after={"serial": row.serial, "replaces_id": cert.id, "changes": row.changes})
        return row
    raise AssertionError("unreachable")


def preview_pdf(competition: Competition, settings: DesignSettings) -> bytes:
    """One sample certificate in the given design: a real winner if any, else placeholders."""
    settings.engine_design()
    category_ids = [c.id for c in competition.categories]
    result = db.session.scalar(
        select(Result).where(Result.category_id.in_(category_ids), Result.award.is_not(None))
        .order_by(Result.rank, Result.id).limit(1)
    ) if category_ids else None
    entry = result.entry if result else _sample_entry(competition)
    draft = Draft(
        Planned(entry, result, "winner", (result.award if result else None)
                or (competition.award_labels or DEFAULT_AWARD_LABELS)[0],
                result.band if result else None),
        serials.format_serial(serials.serial_prefix(competition, entry.category), 1),
        "CONTOH" + "0" * (serials.CODE_LENGTH - 6), utcnow(),
    )
    sample = replace(draft_context(competition, draft, settings), sample=True)
    return render_certificate(sample, settings.engine_design(), resources=resources(settings))


def _sample_entry(competition: Competition):
    """A stand-in entry for previews before any result exists (never saved)."""
    from types import SimpleNamespace

    category = competition.categories[0] if competition.categories else SimpleNamespace(
        name="Contoh Kategori", code="K", method_key="")
    entrant = SimpleNamespace(name="Nama Peserta Contoh")
    return SimpleNamespace(id=0, category=category, entrant=entrant)
