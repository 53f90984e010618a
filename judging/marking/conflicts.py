"""Conflict-of-interest declarations: the entry leaves the juror's list, audited."""

from __future__ import annotations

from flask_babel import gettext as _

from judging.audit import record
from judging.extensions import db
from judging.marking.marks import NotAllowed, judge_problem, load_sheet
from judging.models import ConflictDeclaration, Entry, User
from judging.phases import conflicts_open


def declare_conflict(juror: User, entry: Entry, reason: str) -> ConflictDeclaration:
    """Record the declaration before the juror scores the entry; refuses once submitted."""
    problem = judge_problem(juror, entry)
    if problem:
        raise NotAllowed(problem)
    competition = entry.category.competition
    if not conflicts_open(competition):
        raise NotAllowed(_("Penjurian sudah ditutup; konflik tidak dapat dinyatakan lagi."))
    sheet, _marks = load_sheet(juror.id, entry.id)
    if sheet is not None and sheet.submitted_at is not None:
        raise NotAllowed(_(
            "Penilaian entri ini sudah pernah Anda kirim; hubungi penyelenggara untuk "
            "menyatakan konflik kepentingan."
        ))
    declaration = ConflictDeclaration(juror_id=juror.id, entry_id=entry.id, reason=reason.strip())
    db.session.add(declaration)
    db.session.flush()
    record("conflict.declared", object_type="entry", object_id=entry.id,
           competition_id=competition.id,
           after={"juror_id": juror.id, "entry_id": entry.id, "reason": declaration.reason},
           actor_id=juror.id)
    return declaration
