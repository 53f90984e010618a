"""The built-in deadlines: submission (participants with unsent entries) and judging
(jurors with unsubmitted sheets). SAQ and masa sanggah register theirs the same way."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from judging.extensions import db
from judging.mail.reminders import Deadline, deadline_source
from judging.models import (
    Assignment,
    Category,
    Competition,
    ConflictDeclaration,
    Entry,
    RoleGrant,
    Scoresheet,
    User,
)
from judging.urls import external_url


def upcoming(column, phase: str, now: datetime) -> list[Competition]:
    """Competitions in ``phase`` whose deadline ``column`` is still ahead."""
    return list(db.session.scalars(
        select(Competition).where(Competition.phase == phase, column.is_not(None), column > now)))


@deadline_source("submission")
def submission_deadlines(now: datetime):
    """Participants whose entrant still has an unsubmitted entry before the deadline."""
    for competition in upcoming(Competition.submission_deadline, "open", now):
        users = db.session.scalars(
            select(User).distinct().join(RoleGrant, RoleGrant.user_id == User.id)
            .join(Entry, Entry.entrant_id == RoleGrant.entrant_id).join(Category)
            .where(RoleGrant.role == "participant", Category.competition_id == competition.id,
                   Entry.status == "draft", User.disabled.is_(False)))
        yield Deadline("submission", competition, competition.submission_deadline, list(users),
                       _l("Pengiriman entri"), external_url("participant.home"),
                       todo=_l("Entri Anda belum dikirim."))


@deadline_source("judging")
def judging_deadlines(now: datetime):
    """Jurors who have not yet submitted a sheet for every entry assigned to them."""
    for competition in upcoming(Competition.judging_ends, "judging", now):
        pending = pending_jurors(competition)
        if pending:
            users = db.session.scalars(select(User).where(User.id.in_(pending),
                                                          User.disabled.is_(False)))
            yield Deadline("judging", competition, competition.judging_ends, list(users),
                           _l("Penilaian juri"),
                           external_url("jury.competition", competition_id=competition.id),
                           todo=_l("Masih ada lembar penilaian yang belum Anda kirim."))


def pending_jurors(competition: Competition) -> set[int]:
    """Jurors with an assigned, submitted, non-conflicted entry lacking their submitted sheet."""
    entries = db.session.execute(
        select(Entry.id, Entry.category_id).join(Category)
        .where(Category.competition_id == competition.id, Entry.status == "submitted")).all()
    rows = db.session.execute(
        select(Assignment.juror_id, Assignment.category_id, Assignment.entry_id).join(Category)
        .where(Category.competition_id == competition.id)).all()
    wide, single = defaultdict(set), defaultdict(set)
    for juror_id, category_id, entry_id in rows:
        (single[entry_id] if entry_id else wide[category_id]).add(juror_id)
    ids = [e for e, _c in entries]
    done = {tuple(r) for r in db.session.execute(select(
        Scoresheet.juror_id, Scoresheet.entry_id).where(
        Scoresheet.entry_id.in_(ids), Scoresheet.status == "submitted"))}
    conflicts = {tuple(r) for r in db.session.execute(select(
        ConflictDeclaration.juror_id, ConflictDeclaration.entry_id).where(
        ConflictDeclaration.entry_id.in_(ids)))}
    return {j for entry_id, category_id in entries
            for j in wide[category_id] | single[entry_id]
            if (j, entry_id) not in done and (j, entry_id) not in conflicts}
