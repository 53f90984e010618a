"""One database connection a request: the signed-in read, plain page reads and the ORM session
share it, and a request that loads no ORM object makes no ORM session.

Every signed-in request reads its session row; building an ORM session and its transaction
for that read, and closing them again, cost more than the read. The connection is kept on the
application context (the scope of Flask-SQLAlchemy's ``db.session``); a session made later in
the request runs its transactions on it, and it goes back to the pool (reset as usual) when
that session is closed or removed, as Flask-SQLAlchemy does when the context ends.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask.globals import _cv_app
from flask_sqlalchemy.session import Session
from sqlalchemy.orm import scoped_session, sessionmaker

_HELD = "_judging_connection"  # an attribute of the app context: ``g`` is the request's data
UNATTACHED = "_judging_unattached_user"  # the signed-in user, until an ORM session is made


class RequestSession(Session):
    """Flask-SQLAlchemy's session on the held connection, with the signed-in user attached."""

    def __init__(self, db, **kwargs) -> None:
        super().__init__(db, **kwargs)
        if has_request_context():
            user = g.pop(UNATTACHED, None)
            if user is not None:
                self.add(user)  # as loaded: persistent, nothing to write

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        """The held connection, when one is (a single engine: ``SQLALCHEMY_BINDS`` is unset)."""
        if bind is None:
            held = held_connection()
            if held is not None:
                return held
        return super().get_bind(mapper, clause, bind, **kwargs)

    def close(self) -> None:
        """Close as usual; the held connection then goes back to the pool."""
        super().close()
        release()


def held_connection():
    """This context's connection, or None (none taken, or outside an app context)."""
    ctx = _cv_app.get(None)
    return None if ctx is None else ctx.__dict__.get(_HELD)


def plain_connection(db):
    """The connection this request runs plain statements on: the ORM session's while it is in
    a transaction, else the held one, taken from the pool on first need.

    A session made later begins its transaction on this same connection (SQLite: with the
    usual deferred BEGIN; PostgreSQL: joining the one begun). Plain writes made here with no
    session (the scoresheet save) end with :func:`rollback` or the view's plain commit.
    """
    registry = db.session.registry
    if registry.has():
        session = registry()
        if session.in_transaction():
            return session.connection()
    ctx = _cv_app.get()
    held = ctx.__dict__.get(_HELD)
    if held is None:
        held = ctx.__dict__[_HELD] = db.engine.connect()
    return held


def rollback(db) -> None:
    """Undo the request's writes: the session's transaction, and the held connection's when
    plain statements wrote there with no session in a transaction."""
    registry = db.session.registry
    if registry.has():
        registry().rollback()
    held = held_connection()
    if held is not None and held.in_transaction():
        held.rollback()


class RequestScopedSession(scoped_session):
    """``db.session``: removing it also hands back a connection that no session used."""

    def remove(self) -> None:
        super().remove()
        release()


def one_connection(db) -> None:
    """Give ``db`` the request's connection: its sessions use it, ``remove()`` releases it.

    A session bound to the held connection takes over a transaction already begun there
    (PostgreSQL's, begun by the signed-in read) as its own: it commits and rolls it back.
    """
    made = db.session
    factory = sessionmaker(**{**made.session_factory.kw, "class_": RequestSession,
                              "join_transaction_mode": "control_fully"})
    db.session = RequestScopedSession(factory, made.registry.scopefunc)


def release() -> None:
    """Hand the held connection back: an open transaction rolls back (PostgreSQL's listener
    in ``judging.database`` commits one that only read), and the pool resets it."""
    ctx = _cv_app.get(None)
    held = None if ctx is None else ctx.__dict__.pop(_HELD, None)
    if held is not None:
        held.close()
