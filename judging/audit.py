"""Recording audit events: every organizer change and every mark change after submission."""

from __future__ import annotations

from flask_login import current_user

from judging.extensions import db
from judging.models import AuditEvent


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
