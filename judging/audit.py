"""Recording audit events: every organizer change and every mark change after submission."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from sqlalchemy import insert

from judging import driver_sql
from judging.extensions import db
from judging.models import AuditEvent
from judging.models.types import utcnow
from judging.request_connection import plain_connection

_INSERT = insert(AuditEvent.__table__)


def record(
    action: str,
    *,
    object_type: str,
    object_id: int | None = None,
    competition_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the change it describes).

    A new ``action`` also needs its name and sentence in ``competitions/audit_actions.py``.
    """
    if actor_id is None and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=object_id,
        competition_id=competition_id,
        before=before,
        after=after,
        note=note,
        actor_id=actor_id,
    )
    db.session.add(event)
    return event


def audit_row(
    action: str,
    *,
    object_type: str,
    actor_id: int,
    object_id: int | None = None,
    competition_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    at: datetime | None = None,
) -> dict:
    """One audit event as a row for :func:`record_rows`: the fields of :func:`record`.

    The actor is given, never taken from the request: a hot write knows who acts.
    ``at``: the moment of the change the event records (now, unless given).
    """
    return {"action": action, "object_type": object_type, "object_id": object_id,
            "competition_id": competition_id, "before": before, "after": after,
            "note": note, "actor_id": actor_id, "at": utcnow() if at is None else at}


def record_rows(rows: list[dict], *, statement=_INSERT, connection=None) -> None:
    """Insert audit rows in one statement, in their order, in the current transaction.

    For hot writes (the scoresheet save): no unit-of-work flush per event. Events added
    with :func:`record` and not yet flushed go in first, so ids keep the order recorded.
    ``statement`` is an insert into the audit table that fills some columns itself;
    ``connection`` the session's, when the caller holds it already.
    """
    if not rows:
        return
    if db.session.registry.has() and db.session.new:
        db.session.flush()
    driver_sql.run_many(connection or plain_connection(db), statement, rows)


def prepare_rows(connection, row: dict) -> None:
    """Work out the plan of :func:`record_rows`' insert for rows shaped like ``row`` (a
    worker's warm-up); nothing is written."""
    driver_sql.prepare(connection, _INSERT, row)
