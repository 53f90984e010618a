"""Bulk invitations: a list is previewed (new accounts, existing ones, errors by row), then one
job grants every role through ``grants``/``jurors`` (their link rules unchanged) and mails all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from judging.accounts.grants import (
    _EMAIL,
    account_for,
    added,
    grant,
    invitation_link,
    invite_participant,
)
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.invitation_list import ListRow, read_invitation_list
from judging.io.xlsx.safety import WorkbookRefused
from judging.jobs import JobFailed, job_handler
from judging.mail import notify
from judging.mail.jobs import deliver_with_progress
from judging.marking.jurors import add_juror
from judging.models import Category, Competition, Entrant, Job, RoleGrant, User
from judging.refusals import Refused

MAX_ROWS = 5_000
CHUNK = 50  # rows per commit: keeps each flush small on large lists


@dataclass
class RowError:
    """Why one row of the list cannot be used."""

    row: int
    email: str
    message_id: str
    message_en: str


@dataclass
class Preview:
    """What confirming the list will do."""

    new: list[ListRow] = field(default_factory=list)
    existing: list[ListRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def usable(self) -> list[ListRow]:
        return sorted(self.new + self.existing, key=lambda r: r.row)


def read_list(data: bytes) -> list[ListRow]:
    """The rows of an uploaded list, or a Refused naming what is wrong with the file."""
    try:
        return read_invitation_list(data, MAX_ROWS)
    except WorkbookRefused as refusal:
        raise Refused(refusal.message_id, refusal.message_en) from None


def preview(competition: Competition, rows: list[ListRow]) -> Preview:
    """Sort rows into new accounts, existing accounts that gain a role, and errors."""
    known = set(db.session.scalars(select(func.lower(User.email)).where(
        func.lower(User.email).in_([r.email for r in rows]))))
    entrants = {e.code.lower(): e for e in db.session.scalars(select(Entrant).where(
        Entrant.organisation_id == competition.organisation_id))}
    categories = category_index(competition)
    result, seen = Preview(), set()
    for row in rows:
        problem = row_problem(row, known, entrants, categories, seen)
        if problem:
            result.errors.append(RowError(row.row, row.email, *problem))
            continue
        seen.add((row.email, row.role, row.entrant.lower()))
        (result.existing if row.email in known else result.new).append(row)
    return result


def category_index(competition: Competition) -> dict[str, Category]:
    """Categories by lower-case name and code."""
    index = {}
    for category in competition.categories:
        index[category.name.lower()] = index[category.code.lower()] = category
    return index


def row_problem(row, known, entrants, categories, seen) -> tuple[str, str] | None:
    """The (Indonesian, English) reason a row is refused, or None."""
    if not _EMAIL.match(row.email):
        return "Alamat email tidak valid.", "The e-mail address is not valid."
    if row.role not in ("juror", "verifier", "participant", "organizer"):
        return (f"Peran tidak dikenal: '{row.role}'.", f"Unknown role: '{row.role}'.")
    if row.email not in known and not row.name:
        return "Nama wajib diisi untuk akun baru.", "A name is required for a new account."
    if row.role == "participant" and row.entrant.lower() not in entrants:
        return (f"Kode peserta tidak ditemukan: '{row.entrant}'.",
                f"No entrant has the code '{row.entrant}'.")
    missing = [c for c in row.categories if c.lower() not in categories]
    if missing:
        return (f"Kategori tidak ditemukan: {', '.join(missing)}.",
                f"No such category: {', '.join(missing)}.")
    if (row.email, row.role, row.entrant.lower()) in seen:
        return "Baris ganda.", "Duplicate row."
    return None


def invite_row(competition: Competition, row: ListRow, entrants, categories):
    """Grant the row's role through the organizer's own invitation functions; the message."""
    if row.role == "participant":
        invited = invite_participant(entrants[row.entrant.lower()], row.email, row.name)
    elif row.role == "organizer":
        user, new = account_for(row.email, row.name, competition.organisation)
        grant(user, "organizer", competition_id=competition.id)
        invited = added(user, "organizer", "organizer", competition.organisation,
                        competition.id, new=new)
    else:
        chosen = [categories[c.lower()] for c in row.categories]
        invited = add_juror(competition, row.email, row.name, chosen)
    if row.language in current_app.config["LANGUAGES"] and invited.user.locale is None:
        invited.user.locale = row.language
    return notify.invitation(invited, row.role, competition.name, competition_id=competition.id)


@job_handler("invitations.bulk")
def bulk_job(job: Job, progress) -> None:
    """Grant every usable row, commit, then send all messages with progress."""
    competition = db.session.get(Competition, job.params["competition_id"])
    with evidence_store().open(job.params["key"]) as handle:
        data = handle.read()
    try:
        rows = preview(competition, read_list(data)).usable
    except Refused as refusal:
        raise JobFailed(f"{refusal.message_id} / {refusal.message_en}") from None
    total = 2 * len(rows)
    entrants = {e.code.lower(): e for e in db.session.scalars(select(Entrant).where(
        Entrant.organisation_id == competition.organisation_id))}
    categories = category_index(competition)
    messages = []
    for done, row in enumerate(rows, 1):
        messages.append(invite_row(competition, row, entrants, categories))
        if done % CHUNK == 0 or done == len(rows):
            # each chunk commits whole: accounts, grants, links and their waiting messages
            progress(done, total, f"{done} / {len(rows)} akun / accounts")
    deliver_with_progress([m for m in messages if m is not None], progress, len(rows), total)


def never_accepted(competition: Competition) -> list[tuple[User, str]]:
    """People invited into this competition who never set a password, with their role.

    Only accounts this body created: no one else ever gets a link from it (issue 12).
    """
    entrant_ids = select(Entrant.id).where(Entrant.organisation_id == competition.organisation_id)
    rows = db.session.execute(
        select(User, RoleGrant.role).join(RoleGrant, RoleGrant.user_id == User.id).where(
            User.password_hash.is_(None), User.disabled.is_(False),
            User.created_by_organisation_id == competition.organisation_id,
            (RoleGrant.competition_id == competition.id)
            | ((RoleGrant.role == "participant") & RoleGrant.entrant_id.in_(entrant_ids)))
        .order_by(User.id)).all()
    seen, out = set(), []
    for user, role in rows:
        if user.id not in seen:
            seen.add(user.id)
            out.append((user, role))
    return out


@job_handler("invitations.resend")
def resend_job(job: Job, progress) -> None:
    """A fresh link to everyone who never accepted, then send them all."""
    competition = db.session.get(Competition, job.params["competition_id"])
    people = never_accepted(competition)
    total = 2 * len(people)
    messages = [notify.invitation(invitation_link(user, role, competition.id,
                                                  competition.organisation), role,
                                  competition.name, competition_id=competition.id)
                for user, role in people]
    progress(len(people), total, f"{len(people)} tautan baru / new links")
    deliver_with_progress([m for m in messages if m is not None], progress, len(people), total)
