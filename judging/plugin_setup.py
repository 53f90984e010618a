"""One scoring-plugin registry per app, kept in ``app.extensions``; event hooks fired on commit.

Event hooks tell plugins about facts (an entry submitted, a ranking frozen), so they
are queued on the database session and fired only once the transaction that made the
fact commits; a rollback drops them. Services stage, callers commit, plugins hear.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from judging.extensions import db
from judging.scoring.plugins import BUILTIN_DIR, MethodRegistry, load_methods
from judging.scoring.types import CategoryInfo, RankedEntry, SubmittedEntry

log = logging.getLogger(__name__)

PENDING = "judging_plugin_events"  # key in Session.info: notifications waiting for COMMIT


def init_app(app: Flask) -> None:
    """Load built-in and installed methods; a broken plugin is reported, not fatal."""
    registry = load_methods(
        BUILTIN_DIR,
        entry_points=app.config.get("LOAD_ENTRY_POINTS", True),
        extra_plugins=app.config.get("EXTRA_PLUGINS", ()),
    )
    for name, reason in registry.errors:
        log.warning("Plugin %s was not loaded: %s", name, reason)
    app.extensions["judging_methods"] = registry


def methods() -> MethodRegistry:
    """The current app's method registry."""
    return current_app.extensions["judging_methods"]


def entry_submitted(entry: SubmittedEntry) -> None:
    """Tell every plugin about a submission once the current transaction commits."""
    registry = methods()
    _after_commit(lambda: registry.entry_submitted(entry))


def ranking_frozen(category: CategoryInfo, results: tuple[RankedEntry, ...]) -> None:
    """Tell every plugin a category's ranking was frozen, once the phase change commits."""
    registry = methods()
    _after_commit(lambda: registry.ranking_frozen(category, results))


def _after_commit(notify: Callable[[], None]) -> None:
    db.session.info.setdefault(PENDING, []).append(notify)


@event.listens_for(Session, "after_commit")
def _fire_pending(session: Session) -> None:
    for notify in session.info.pop(PENDING, ()):
        try:
            notify()
        except Exception:  # the registry isolates plugins; this guards the commit itself
            log.exception("Plugin event could not be delivered")


@event.listens_for(Session, "after_transaction_end")
def _drop_unfired(session: Session, transaction) -> None:
    """A rolled-back (or closed) outer transaction takes its notifications with it."""
    if transaction.parent is None and not transaction.nested:
        session.info.pop(PENDING, None)
