"""The site administrator's view of accounts: finding people and switching accounts off or on."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from judging import audit
from judging.extensions import db
from judging.models import Competition, Job, Organisation, RoleGrant, User, UserSession
from judging.refusals import Refused

PAGE_SIZE = 100


def find_users(query: str = "", limit: int = PAGE_SIZE) -> list[User]:
    """Accounts whose name or e-mail contains ``query`` (all when empty), with their grants."""
    statement = select(User).options(selectinload(User.grants)).order_by(User.email)
    words = query.strip().lower()
    if words:
        pattern = f"%{words.replace('%', '').replace('_', '')}%"
        statement = statement.where(or_(func.lower(User.email).like(pattern),
                                        func.lower(User.name).like(pattern)))
    return list(db.session.scalars(statement.limit(limit)))


def set_disabled(user: User, disabled: bool, actor: User) -> None:
    """Switch an account off (its sessions end at once) or back on, audited.

    An administrator cannot switch off their own account: the site would lose the person
    who can switch it back on.
    """
    if disabled and user.id == actor.id:
        raise Refused("Akun Anda sendiri tidak dapat dinonaktifkan.",
                      "You cannot disable your own account.")
    if user.disabled == disabled:
        return
    audit.record("user.disabled" if disabled else "user.enabled", object_type="user",
                 object_id=user.id, before={"disabled": user.disabled},
                 after={"disabled": disabled}, actor_id=actor.id)
    user.disabled = disabled
    if disabled:
        db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()


def organisations_with_counts() -> list[tuple[Organisation, int, int]]:
    """Every organising body with how many competitions and organizers it has."""
    competitions = (select(func.count()).where(Competition.organisation_id == Organisation.id)
                    .correlate(Organisation).scalar_subquery())
    organizers = (select(func.count()).where(RoleGrant.organisation_id == Organisation.id,
                                             RoleGrant.role == "organizer")
                  .correlate(Organisation).scalar_subquery())
    rows = db.session.execute(select(Organisation, competitions, organizers)
                              .order_by(Organisation.name))
    return [tuple(row) for row in rows]


def recent_jobs(state: str | None = None, limit: int = PAGE_SIZE) -> list[Job]:
    """The newest jobs of the whole site, optionally only those in one state."""
    statement = select(Job).order_by(Job.created_at.desc()).limit(limit)
    if state:
        statement = statement.where(Job.state == state)
    return list(db.session.scalars(statement))
