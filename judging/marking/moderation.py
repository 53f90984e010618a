"""Moderation services: every juror's marks side by side, revisit requests, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import or_, select

from judging.audit import record
from judging.extensions import db
from judging.mail import notify
from judging.marking.marks import NotAllowed, judge_problem, load_sheet, sheet_status
from judging.marking.scores import juror_score
from judging.models import (
    Assignment,
    Category,
    Entry,
    Mark,
    ModerationNote,
    Scoresheet,
    User,
)
from judging.models.types import utcnow
from judging.permissions import conflict_pairs
from judging.phases import marks_writable
from judging.refusals import Notice


@dataclass
class Cell:
    """One juror × entry: their jury score, marks by criterion id and sheet status."""

    score: Decimal | None = None
    marks: dict[int, Decimal | None] = field(default_factory=dict)
    status: str = "not_started"
    conflict: bool = False
    assigned: bool = True


@dataclass
class EntryLine:
    """One entry across jurors, with the spread of complete scores and its flag."""

    entry: Entry
    cells: dict[int, Cell]
    spread: Decimal | None
    flagged: bool
    notes: list[ModerationNote]


@dataclass
class Matrix:
    """A category's moderation view."""

    category: Category
    jurors: list[User]
    lines: list[EntryLine]
    notes: list[ModerationNote]  # notes on the category as a whole

    @property
    def flagged(self) -> int:
        """How many entries the jurors disagree on beyond the threshold."""
        return sum(1 for line in self.lines if line.flagged)


def category_jurors(category: Category) -> list[User]:
    """Jurors assigned to the category (wholly or per entry) or holding marks in it."""
    assigned = select(Assignment.juror_id).where(Assignment.category_id == category.id,
                                                 Assignment.verifier.is_(False))
    marked = select(Mark.juror_id).join(Entry, Entry.id == Mark.entry_id).where(
        Entry.category_id == category.id)
    return list(db.session.scalars(
        select(User).where(or_(User.id.in_(assigned), User.id.in_(marked)))
        .order_by(User.name, User.id)
    ))


def category_matrix(category: Category) -> Matrix:
    """Every juror's marks on every submitted entry, spread per entry, disagreements flagged."""
    entries = list(db.session.scalars(
        select(Entry).where(Entry.category_id == category.id, Entry.status == "submitted")
        .order_by(Entry.code)))
    jurors = category_jurors(category)
    ids = [e.id for e in entries]
    marks = db.session.scalars(select(Mark).where(Mark.entry_id.in_(ids))).all()
    sheets = {(s.juror_id, s.entry_id): s for s in db.session.scalars(
        select(Scoresheet).where(Scoresheet.entry_id.in_(ids)))}
    conflicts = conflict_pairs(ids)
    assignments = db.session.execute(
        select(Assignment.juror_id, Assignment.entry_id)
        .where(Assignment.category_id == category.id, Assignment.verifier.is_(False))).all()
    by_pair: dict = {}
    for mark in marks:
        by_pair.setdefault((mark.juror_id, mark.entry_id), {})[mark.criterion_id] = mark.value
    notes = list(db.session.scalars(
        select(ModerationNote).where(ModerationNote.category_id == category.id)
        .order_by(ModerationNote.created_at)))
    lines = []
    threshold = Decimal(category.disagreement_threshold)
    for entry in entries:
        cells = {}
        for juror in jurors:
            values = by_pair.get((juror.id, entry.id), {})
            cells[juror.id] = Cell(
                score=juror_score(category.criteria, values), marks=values,
                status=sheet_status(sheets.get((juror.id, entry.id)), values),
                conflict=(juror.id, entry.id) in conflicts,
                assigned=any(j == juror.id and e in (None, entry.id) for j, e in assignments),
            )
        counted = [c.score for c in cells.values() if c.score is not None and not c.conflict]
        spread = max(counted) - min(counted) if len(counted) >= 2 else None
        lines.append(EntryLine(entry, cells, spread, spread is not None and spread > threshold,
                               [n for n in notes if n.entry_id == entry.id]))
    return Matrix(category, jurors, lines, [n for n in notes if n.entry_id is None])


def request_revisit(juror: User, entry: Entry, note: str, *, actor: User) -> Scoresheet:
    """Send the juror's sheet back to draft with a note; they may then change it in moderation."""
    competition = entry.category.competition
    if not marks_writable(competition):
        raise NotAllowed(Notice(
            "Tinjau ulang hanya dapat diminta pada tahap penjurian atau moderasi.",
            "A review can only be requested in the judging or moderation phase.",
        ))
    problem = judge_problem(juror, entry)
    if problem:
        raise NotAllowed(Notice(
            "Juri ini tidak menilai entri tersebut (tidak ditugaskan atau menyatakan "
            "konflik).",
            "This juror does not judge that entry (not assigned or declared a "
            "conflict).",
        ))
    sheet, _marks = load_sheet(juror.id, entry.id)
    if sheet is None:
        sheet = Scoresheet(juror_id=juror.id, entry_id=entry.id, status="draft")
        db.session.add(sheet)
    before = {"status": sheet.status}
    sheet.status = "draft"
    sheet.revisit_requested_at = utcnow()
    sheet.revisit_note = note.strip()
    db.session.flush()
    record("scoresheet.revisit_requested", object_type="scoresheet", object_id=sheet.id,
           competition_id=competition.id, before=before,
           after={"status": "draft", "juror_id": juror.id, "entry_id": entry.id,
                  "note": sheet.revisit_note},
           actor_id=actor.id)
    notify.sheet_sent_back(juror, sheet, entry, competition)  # sent once the request commits
    return sheet


def add_note(category: Category, entry: Entry | None, text: str, *, actor: User
             ) -> ModerationNote:
    """Record a moderation note on the category or one of its entries."""
    if entry is not None and entry.category_id != category.id:
        raise NotAllowed(Notice(
            "Entri tersebut bukan bagian dari kategori ini.",
            "That entry is not part of this category.",
        ))
    note = ModerationNote(category_id=category.id, entry_id=entry.id if entry else None,
                          author_id=actor.id, text=text.strip())
    db.session.add(note)
    db.session.flush()
    record("moderation.note", object_type="moderation_note", object_id=note.id,
           competition_id=category.competition_id,
           after={"entry_id": note.entry_id, "text": note.text}, actor_id=actor.id)
    return note
