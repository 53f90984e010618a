"""A competition at ``final`` with frozen results, shared by the certificate tests."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

from pypdf import PdfReader

from judging.extensions import db
from judging.models import Result, SpecialAward

CONFIG = {"CERTIFICATE_WORKERS": 1}


def build_world(make, phase: str = "final") -> SimpleNamespace:
    """IKP Fest 2023 (code IKP-2023), category MS: two placed, one special award, one
    submitted without award, one draft; an organizer and two participants."""
    body = make.organisation(name="Diskominfo Kota Contoh", code="IKP")
    comp = make.competition(body, name="IKP Fest", year=2023, code="IKP-2023", phase=phase)
    category = make.category(comp, name="Media Sosial", code="MS")
    names = ["Kelurahan Sukamaju", "Kelurahan Cibeunying", "Desa Mekarsari",
             "Kelurahan Tamansari", "Desa Draf"]
    entrants = [make.entrant(body, name=n) for n in names]
    entries = [make.entry(category, e, status="submitted") for e in entrants[:4]]
    entries.append(make.entry(category, entrants[4], status="draft"))
    awards = [("Peringkat Pertama", "Informatif"), ("Peringkat Kedua", "Menuju Informatif"),
              (None, "Cukup Informatif"), (None, None)]
    results = []
    for rank, (entry, (award, band)) in enumerate(zip(entries, awards, strict=False), start=1):
        result = Result(category_id=category.id, entry_id=entry.id, rank=rank,
                        total=Decimal(95 - rank * 5), band=band, award=award)
        db.session.add(result)
        results.append(result)
    db.session.add(SpecialAward(entry_id=entries[2].id, label="Apresiasi Inovasi"))
    db.session.flush()
    world = SimpleNamespace(
        body=body, comp=comp, category=category, entrants=entrants, entries=entries,
        results=results, organizer=make.organizer(comp),
        first=make.participant(entrants[0]), second=make.participant(entrants[1]),
    )
    make.commit()
    return world


def pdf_text(data: bytes) -> str:
    """All text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
