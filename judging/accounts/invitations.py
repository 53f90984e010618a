"""Invitation links: created for a user, stored hashed, valid once and until they expire."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from judging.extensions import db
from judging.models import Invitation, User
from judging.models.types import utcnow
from judging.urls import external_url


def token_hash(token: str) -> str:
    """Only the hash is stored, so a database leak does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    user: User, purpose: str, *, competition_id: int | None = None, created_by: User | None = None
) -> str:
    """Add an invitation for ``user`` and return the link to send them."""
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    db.session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            purpose=purpose,
            competition_id=competition_id,
            created_by_id=created_by.id if created_by else None,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return external_url("auth.accept_invitation", token=token)


def find_invitation(token: str) -> tuple[Invitation | None, str | None]:
    """The invitation for a token, or None with why it cannot be used."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None:
        return None, "unknown"
    set_at = invitation.user.password_set_at
    if invitation.used_at is not None or (set_at is not None and set_at >= invitation.created_at):
        return None, "used"
    if invitation.expires_at < utcnow():
        return None, "expired"
    return invitation, None
