"""The one way a view runs a service call: commit on success, roll back and say why on a refusal.

Services change the session and never commit; every view that calls one goes through
:func:`attempt`, so a refused action leaves nothing half-written and is shown the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from judging.extensions import db
from judging.refusals import Refused
from judging.request_connection import held_connection


@dataclass(frozen=True)
class Outcome:
    """What the call returned; false when it was refused (and already rolled back)."""

    done: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.done


def flash_refusal(refusal: Refused) -> None:
    """Show a refusal and each of its problems; the caller has rolled back."""
    flash(str(refusal), "error")
    for problem in refusal.problems:
        flash(str(problem), "error")


def attempt(call: Callable[[], Any], success: str | None = None, *,
            commit: bool = True) -> Outcome:
    """Run ``call``; on :class:`Refused` roll back and flash why, else commit and flash ``success``.

    ``commit=False`` leaves the commit to a view that still has to decide (a report with
    row errors, an invitation without a link).
    """
    try:
        value = call()
    except Refused as refusal:
        db.session.rollback()
        flash_refusal(refusal)
        return Outcome(False)
    if commit:
        db.session.commit()
    if success:
        flash(success, "success")
    return Outcome(True, value)


def commit_plain() -> None:
    """Commit a transaction whose writes were plain statements, past the session's machinery.

    With nothing pending in the session and no work waiting for its commit (mail, plugin
    events, released uploads: ``session.info``), the session's commit would only commit the
    connection, expire what it holds and end its transaction; this does those three without
    its flush and commit events (~0.2 ms of a scoresheet save). Otherwise the session commits.
    With no session in a transaction the writes are the held connection's, which commits
    (``request_connection``).
    """
    registry = db.session.registry
    session = registry() if registry.has() else None
    if session is not None and (session.info or session.new or session.dirty
                                or session.deleted):
        session.commit()  # joins the held connection's transaction, if that one wrote
        return
    if session is not None and session.in_transaction():
        session.connection().commit()
        session.expire_all()  # as the session's commit does: nothing read before is trusted
        session.get_transaction().close()
        return
    held = held_connection()
    if held is not None and held.in_transaction():
        held.commit()
