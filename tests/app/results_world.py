"""A small competition with monev values and submitted jury marks, for the results tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from judging.extensions import db
from judging.models import IndicatorValue, Mark, Scoresheet
from judging.models.types import utcnow


@dataclass
class ResultsWorld:
    competition: object
    category: object
    entries: list
    jurors: list
    organizer: object


# (entrant name, SAQ, website, juror 1 marks, juror 2 marks) — four criteria of 25 each
ROWS = [
    ("Dinas Kominfo", 95, 90, (90, 90, 90, 90), (80, 80, 80, 80)),
    ("Dinas Kesehatan", 85, 80, (70, 70, 70, 70), (75, 75, 75, 75)),
    ("Dinas Pendidikan", 80, 88, (60, 60, 60, 60), (65, 65, 65, 65)),
    ("Dinas Perhubungan", 50, 40, (), ()),  # below the SAQ gate: not advanced
]


def put_marks(juror, entry, criteria, values, *, status="submitted") -> None:
    """A juror's sheet for an entry with one mark per criterion (replacing what was there)."""
    sheet = db.session.scalar(select(Scoresheet).where(
        Scoresheet.juror_id == juror.id, Scoresheet.entry_id == entry.id))
    if sheet is None:
        sheet = Scoresheet(juror_id=juror.id, entry_id=entry.id)
        db.session.add(sheet)
    sheet.status = status
    sheet.submitted_at = utcnow() if status == "submitted" else None
    for criterion, value in zip(criteria, values, strict=True):
        mark = db.session.scalar(select(Mark).where(
            Mark.juror_id == juror.id, Mark.entry_id == entry.id,
            Mark.criterion_id == criterion.id))
        if mark is None:
            mark = Mark(juror_id=juror.id, entry_id=entry.id, criterion_id=criterion.id)
            db.session.add(mark)
        mark.value = Decimal(str(value))
    db.session.flush()


def build_results_world(make, *, phase="moderation", rows=ROWS, names=None) -> ResultsWorld:
    """A competition in ``phase`` with one information-disclosure category, fully marked."""
    competition = make.competition(phase=phase, name="Monev KIP", code="KIP-2026")
    category = make.category(competition, name="Badan Publik", code="BP", places=3)
    jurors = [make.juror(competition, [category], email=f"juri{i}@juara.test",
                         name=f"Juri Nama {i}") for i in (1, 2)]
    organizer = make.organizer(competition, email="panitia@juara.test", name="Panitia")
    entries = []
    for i, (name, saq, web, marks1, marks2) in enumerate(rows):
        entrant = make.entrant(competition.organisation, name=(names or {}).get(i, name),
                               code=f"BP{i + 1:02d}")
        entry = make.entry(category, entrant, status="submitted", code=f"BP-{i + 1:03d}")
        db.session.add_all([
            IndicatorValue(entry_id=entry.id, indicator_key="nilai_saq", value=Decimal(saq)),
            IndicatorValue(entry_id=entry.id, indicator_key="nilai_website", value=Decimal(web)),
        ])
        for juror, marks in zip(jurors, (marks1, marks2), strict=True):
            if marks:
                put_marks(juror, entry, category.criteria, marks)
        entries.append(entry)
    make.commit()
    return ResultsWorld(competition, category, entries, jurors, organizer)
