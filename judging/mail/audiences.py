"""Who hears of an event: the participant accounts behind entrants, a competition's jurors."""

from __future__ import annotations

from sqlalchemy import select

from judging.extensions import db
from judging.models import Category, Entry, RoleGrant, User


def entrant_participants(entrant_ids) -> list[User]:
    """Enabled participant accounts acting for any of these entrants, once each."""
    ids = list(set(entrant_ids))
    if not ids:
        return []
    return list(db.session.scalars(
        select(User).distinct().join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "participant", RoleGrant.entrant_id.in_(ids),
               User.disabled.is_(False)).order_by(User.id)))


def entry_participants(competition) -> list[User]:
    """The participant accounts of every entrant with an entry in the competition."""
    entrants = db.session.scalars(select(Entry.entrant_id).join(Category).where(
        Category.competition_id == competition.id, Entry.status != "withdrawn"))
    return entrant_participants(entrants)


def jurors(competition) -> list[User]:
    """Enabled accounts holding the juror role in the competition."""
    return list(db.session.scalars(
        select(User).distinct().join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "juror", RoleGrant.competition_id == competition.id,
               User.disabled.is_(False)).order_by(User.id)))
