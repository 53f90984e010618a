"""Inviting people: an account, a role grant and a one-time link that sets the password.

A link is handed only for an account the organizer's own body created and that never had a
password; anyone else added by e-mail gets the role and a notice, never a link (issue 12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select

from judging.accounts.invitations import create_invitation
from judging.audit import record
from judging.extensions import db
from judging.models import Entrant, Organisation, RoleGrant, User
from judging.models.types import utcnow
from judging.refusals import Refused

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Invited:
    """The result of an invitation: the account, and the link when one was made.

    ``no_link`` says why there is none: ``has_password`` (sign in as usual) or
    ``other_body`` (the account belongs to another body's invitation; the person is notified).
    """

    user: User
    link: str | None
    expires_at: datetime | None
    new_account: bool
    no_link: str | None = None


def account_for(email: str, name: str, organisation: Organisation) -> tuple[User, bool]:
    """The account with this e-mail, created (without password, owned by ``organisation``)."""
    email = (email or "").strip().lower()
    if not _EMAIL.match(email):
        raise Refused("Alamat email tidak valid.", "The e-mail address is not valid.")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None:
        return user, False
    if not (name or "").strip():
        raise Refused("Nama wajib diisi untuk akun baru.", "A name is required for a new account.")
    user = User(email=email, name=name.strip(), created_by_organisation_id=organisation.id)
    db.session.add(user)
    db.session.flush()
    return user, True


def grant(user: User, role: str, **scope) -> bool:
    """Add a role grant unless the same one exists; True when it was added."""
    conditions = [RoleGrant.user_id == user.id, RoleGrant.role == role]
    for column in ("organisation_id", "competition_id", "entrant_id"):
        value = scope.get(column)
        attr = getattr(RoleGrant, column)
        conditions.append(attr == value if value is not None else attr.is_(None))
    if db.session.scalar(select(exists().where(*conditions))):
        return False
    db.session.add(RoleGrant(user_id=user.id, role=role, **scope))
    return True


def invitation_link(user: User, purpose: str, competition_id: int | None,
                    organisation: Organisation) -> Invited:
    """A fresh one-time link, only for an account ``organisation`` created that never had a
    password; otherwise no link and the reason."""
    if not user.never_had_password:
        return Invited(user, None, None, False, no_link="has_password")
    if user.created_by_organisation_id != organisation.id:
        return Invited(user, None, None, False, no_link="other_body")
    link = create_invitation(user, purpose, competition_id=competition_id, created_by=_actor())
    days = current_app.config["INVITATION_DAYS"]
    record("invitation.created", object_type="user", object_id=user.id,
           competition_id=competition_id, after={"purpose": purpose, "days": days})
    return Invited(user, link, utcnow() + timedelta(days=days), False)


def added(user: User, role: str, purpose: str, organisation: Organisation,
          competition_id: int | None = None, *, new: bool) -> Invited:
    """After a grant: the link for a new account, or a notice owed to an existing person."""
    invited = invitation_link(user, purpose, competition_id, organisation)
    invited.new_account = new
    if invited.link is None:
        record("account.notice_pending", object_type="user", object_id=user.id,
               competition_id=competition_id,
               after={"role": role, "organisation_id": organisation.id, "reason": invited.no_link})
    return invited


def invite_participant(entrant: Entrant, email: str, name: str) -> Invited:
    """A participant account acting for ``entrant``, with a link to set its password."""
    user, new = account_for(email, name, entrant.organisation)
    if user.is_admin:
        raise Refused("Akun admin tidak bisa dijadikan peserta.",
                      "An admin account cannot be made a participant.")
    if grant(user, "participant", entrant_id=entrant.id):
        record("participant.granted", object_type="entrant", object_id=entrant.id,
               after={"user_id": user.id, "email": user.email})
    return added(user, "participant", "participant", entrant.organisation, new=new)


def _actor() -> User | None:
    from flask_login import current_user

    return current_user if current_user and current_user.is_authenticated else None
