"""Reading a competition's audit log with filters, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from judging.extensions import db
from judging.models import AuditEvent, Competition, User

PER_PAGE = 50


@dataclass
class AuditPage:
    """One page of events plus what the filter menus offer."""

    events: list[AuditEvent]
    page: int
    pages: int
    total: int
    actions: list[str]
    actors: list[tuple[int, str]]


def audit_page(competition: Competition, *, action: str = "", actor_id: int | None = None,
               since: date | None = None, until: date | None = None, page: int = 1,
               per_page: int = PER_PAGE) -> AuditPage:
    """Events of one competition, newest first; dates are days in the competition's zone."""
    base = select(AuditEvent).where(AuditEvent.competition_id == competition.id)
    zone = ZoneInfo(competition.timezone)
    if action:
        base = base.where(AuditEvent.action == action)
    if actor_id:
        base = base.where(AuditEvent.actor_id == actor_id)
    if since:
        base = base.where(AuditEvent.at >= datetime.combine(since, time(), zone))
    if until:
        base = base.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time(), zone))
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    events = list(db.session.scalars(
        base.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))
    actions = list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.competition_id == competition.id)
        .distinct().order_by(AuditEvent.action)
    ))
    actors = db.session.execute(
        select(User.id, User.name).where(User.id.in_(
            select(AuditEvent.actor_id).where(AuditEvent.competition_id == competition.id)
        )).order_by(User.name)
    ).all()
    return AuditPage(events, page, pages, total, actions, actors)
