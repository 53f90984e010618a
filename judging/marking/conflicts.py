"""Conflict-of-interest declarations: the entry leaves the juror's list, audited.

A juror declares their own; the organizer may record one for a juror (with a reason). When
the juror was assigned to the entry, the assignment goes and the declaration keeps how many
jurors the entry had, so the organizer is alerted until a replacement is assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select

from judging.audit import record
from judging.extensions import db
from judging.marking.marks import NotAllowed, judge_problem, load_sheet
from judging.marking.progress import assigned_jurors
from judging.models import Assignment, Category, ConflictDeclaration, Entry, RoleGrant, User
from judging.phases import conflicts_open
from judging.refusals import Notice, Refused


def declare_conflict(juror: User, entry: Entry, reason: str) -> ConflictDeclaration:
    """Record the declaration before the juror scores the entry; refuses once submitted."""
    problem = judge_problem(juror, entry)
    if problem:
        raise NotAllowed(problem)
    competition = entry.category.competition
    if not conflicts_open(competition):
        raise NotAllowed(Notice(
            "Penjurian sudah ditutup; konflik tidak dapat dinyatakan lagi.",
            "Judging is closed; conflicts can no longer be declared.",
        ))
    sheet, _marks = load_sheet(juror.id, entry.id)
    if sheet is not None and sheet.submitted_at is not None:
        raise NotAllowed(Notice(
            "Penilaian entri ini sudah pernah Anda kirim; hubungi penyelenggara untuk"
            " menyatakan konflik kepentingan.",
            "You have already submitted your scores for this entry; contact the "
            "organizer to declare a conflict of interest.",
        ))
    return _store(juror, entry, reason.strip(), recorded_by=None)


def record_conflict_for(organizer: User, juror: User, entry: Entry,
                        reason: str) -> ConflictDeclaration:
    """The organizer records a juror's conflict (told in person, known from the file); audited."""
    competition = entry.category.competition
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Alasan konflik wajib diisi.", "A reason for the conflict is required.")
    if not conflicts_open(competition):
        raise Refused("Hasil sudah dibekukan; konflik tidak dapat dicatat lagi.",
                      "The results are frozen; conflicts can no longer be recorded.")
    is_juror = db.session.scalar(select(RoleGrant.id).where(
        RoleGrant.user_id == juror.id, RoleGrant.role == "juror",
        RoleGrant.competition_id == competition.id))
    if is_juror is None:
        raise Refused("Orang itu bukan juri kompetisi ini.",
                      "That person is not a juror of this competition.")
    if db.session.scalar(select(ConflictDeclaration.id).where(
            ConflictDeclaration.juror_id == juror.id, ConflictDeclaration.entry_id == entry.id)):
        raise Refused("Konflik ini sudah tercatat.", "This conflict is already recorded.")
    return _store(juror, entry, reason, recorded_by=organizer)


def _store(juror: User, entry: Entry, reason: str, *, recorded_by: User | None
           ) -> ConflictDeclaration:
    competition = entry.category.competition
    before = assigned_jurors(competition, [entry])[entry.id]
    declaration = ConflictDeclaration(
        juror_id=juror.id, entry_id=entry.id, reason=reason,
        recorded_by_id=recorded_by.id if recorded_by else None,
        jurors_before=len(before) if juror.id in before else None)
    db.session.add(declaration)
    removed = db.session.execute(delete(Assignment).where(
        Assignment.juror_id == juror.id, Assignment.entry_id == entry.id)).rowcount
    db.session.flush()
    record("conflict.recorded" if recorded_by else "conflict.declared", object_type="entry",
           object_id=entry.id, competition_id=competition.id,
           after={"juror_id": juror.id, "entry_id": entry.id, "reason": declaration.reason,
                  "assignment_removed": juror.id in before, "entry_assignment_rows": removed},
           actor_id=recorded_by.id if recorded_by else juror.id)
    return declaration


@dataclass(frozen=True)
class ConflictGap:
    """An entry left a juror short by a conflict: who left, how many it has and had."""

    declaration: ConflictDeclaration
    entry: Entry
    have: int
    need: int


# Ids of the competition's declarations that removed an assignment, oldest first: built once,
# a plain statement (the dashboard asks on every view and there are seldom any).
_REMOVING = (
    select(ConflictDeclaration.id).join(Entry).join(Category)
    .where(Category.competition_id == bindparam("competition_id"),
           ConflictDeclaration.jurors_before.is_not(None))
    .order_by(ConflictDeclaration.declared_at)
)


def conflict_gaps(competition) -> list[ConflictGap]:
    """Entries that lost an assigned juror to a conflict and have no replacement yet."""
    if db.session.autoflush:
        db.session.flush()
    ids = db.session.connection().execute(
        _REMOVING, {"competition_id": competition.id}).scalars().all()
    if not ids:
        return []
    loaded = {d.id: d for d in db.session.scalars(
        select(ConflictDeclaration).where(ConflictDeclaration.id.in_(ids)))}
    declarations = [loaded[i] for i in ids]
    entries = {d.entry_id: d.entry for d in declarations}
    counts = assigned_jurors(competition, list(entries.values()))
    return [ConflictGap(d, d.entry, len(counts[d.entry_id]), d.jurors_before)
            for d in declarations if len(counts[d.entry_id]) < d.jurors_before]


def warm_up(_absent) -> None:
    """Compile the progress page's conflict read before a worker's first request."""
    db.session.connection().execute(_REMOVING, {"competition_id": 0}).all()
