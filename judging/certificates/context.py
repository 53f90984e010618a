"""From the database to the engine's plain ``CertificateContext`` (never ORM objects).

Plugins may add lines through the ``judging_certificate_context`` hook; what they
return is turned into text here, so a template only ever sees strings.
"""

from __future__ import annotations

from datetime import datetime

from judging.certificates import design as design_mod
from judging.certificates.design import DesignSettings
from judging.extensions import db
from judging.io.certificates.pdfs import CertificateContext
from judging.models import Certificate, Competition, Entry, Result
from judging.plugin_setup import methods
from judging.scoring.types import CertificateInfo
from judging.urls import external_url

EXTRA_LIMIT = 6


def verify_url(code: str) -> str:
    """The public page a certificate's QR code points to, on the canonical address."""
    return external_url("public.verify", code=code)


def competition_title(competition: Competition) -> str:
    """The competition's name with its year, unless the name already says it."""
    year = str(competition.year)
    return competition.name if year in competition.name else f"{competition.name} {year}"


def build_context(
    *,
    competition: Competition,
    entry: Entry,
    serial: str,
    code: str,
    kind: str,
    award: str,
    band: str | None,
    result: Result | None,
    issued_at: datetime,
    settings: DesignSettings,
) -> CertificateContext:
    """One certificate's values; works for rows not yet saved (the batch is staged last)."""
    category = entry.category
    values = dict(
        serial=serial,
        verification_code=code,
        verify_url=verify_url(code),
        organiser_name=settings.organiser_name or competition.organisation.name,
        organiser_logo=design_mod.logo_name(settings),
        competition_name=competition_title(competition),
        category_name=category.name,
        entrant_name=entry.entrant.name,
        award=award,
        band=band,
        kind=kind,
        place=settings.place or competition.organisation.name,
        date_text=design_mod.date_text(settings, issued_at, competition.timezone),
    )
    hook_view = CertificateInfo(
        serial=serial, code=code, entrant_name=values["entrant_name"],
        category_name=category.name, competition_name=values["competition_name"],
        method=category.method_key, kind=kind, award=award, band=band,
        rank=result.rank if result else None, total=str(result.total) if result else None,
    )
    return CertificateContext(
        **values, signatories=design_mod.signatories(settings), extra=extra_lines(hook_view)
    )


def extra_lines(certificate: CertificateInfo) -> dict[str, str]:
    """Plugin-provided lines as text; only a few, so a plugin cannot flood the page."""
    extra = methods().certificate_context(certificate)
    lines = {}
    for name, value in extra.items():
        if value is None or isinstance(value, dict | list | tuple | set):
            continue
        lines[str(name)[:80]] = str(value)[:200]
        if len(lines) == EXTRA_LIMIT:
            break
    return lines


def context_of(cert: Certificate, settings: DesignSettings) -> CertificateContext:
    """The context of an issued certificate, e.g. to print it again or re-render it."""
    result = db.session.get(Result, cert.result_id) if cert.result_id else None
    return build_context(
        competition=cert.competition, entry=cert.entry, serial=cert.serial, code=cert.code,
        kind=cert.kind, award=cert.award, band=cert.band, result=result,
        issued_at=cert.issued_at, settings=settings,
    )


SNAPSHOT_LABELS = {
    "entrant_name": ("Penerima", "Recipient"), "award": ("Penghargaan", "Award"),
    "band": ("Predikat", "Band"), "category_name": ("Kategori", "Category"),
    "competition_name": ("Kompetisi", "Competition"),
    "organiser_name": ("Penyelenggara", "Organiser"), "rank": ("Peringkat", "Rank"),
    "total": ("Nilai akhir", "Total"), "signatories": ("Penandatangan", "Signatories"),
    "date_text": ("Tanggal", "Date"), "place": ("Tempat", "Place"),
}


def snapshot_of(ctx: CertificateContext, result: Result | None) -> dict:
    """Everything printed on a certificate, kept at issue so verification never reads live data."""
    return {
        "entrant_name": ctx.entrant_name, "award": ctx.award, "band": ctx.band,
        "kind": ctx.kind, "category_name": ctx.category_name,
        "competition_name": ctx.competition_name, "organiser_name": ctx.organiser_name,
        "rank": result.rank if result else None,
        "total": str(result.total) if result else None,
        "signatories": [f"{s.name} ({s.position})" if s.position else s.name
                        for s in ctx.signatories],
        "date_text": ctx.date_text, "place": ctx.place,
    }


def snapshot_changes(old: dict | None, new: dict) -> list[dict]:
    """What a re-issue prints differently: [{field, label_id, label_en, before, after}]."""
    old = old or {}
    return [{"field": k, "label_id": SNAPSHOT_LABELS[k][0], "label_en": SNAPSHOT_LABELS[k][1],
             "before": old.get(k), "after": new.get(k)}
            for k in SNAPSHOT_LABELS if old.get(k) != new.get(k)]
