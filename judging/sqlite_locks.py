"""SQLite transactions that read unlocked and take the write lock at their first write.

Below every tier (beside ``extensions``): the database wiring installs it, jobs ask whether
their session holds the lock. Other databases read committed data and need none of this.
"""

from __future__ import annotations

import contextvars

from sqlalchemy import event

# Opt-in: take SQLite's write lock at BEGIN, for a unit whose reads must not interleave with
# another writer's. By default a transaction reads unlocked and takes the lock at its first
# write (see ``tune_sqlite``), so read-only work never blocks a writer.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")


def tune_sqlite(engine, busy_seconds: float = 30) -> None:
    """WAL, foreign keys and a busy timeout on every connection; the write lock taken late."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = write_intent.get()
        if immediate:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # may wait; errors wrapped as usual
        else:  # every request's: a deferred BEGIN takes no lock, so it neither waits nor fails
            connection.connection.driver_connection.execute("BEGIN")
        connection.info["sqlite_tx"] = "write" if immediate else "read"

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection, cursor, statement, _parameters, _context, _many):
        if connection.info.get("sqlite_tx") == "read" and _is_write(statement):
            take_write_lock(connection)


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:9].upper().startswith(_WRITES)


def take_write_lock(connection) -> None:
    """Turn a transaction that has only read into one holding the write lock.

    SQLite cannot wait to upgrade a read transaction (it fails at once when another
    writer holds the lock or committed since our snapshot), so the read part ends here and
    ``BEGIN IMMEDIATE`` waits on busy_timeout. Later statements see the newest data, as
    under PostgreSQL's read committed; versioned rows still refuse stale writes.
    """
    raw = connection.connection.driver_connection
    raw.execute("COMMIT")
    connection.info["sqlite_tx"] = None  # a failed BEGIN leaves no transaction to upgrade
    raw.execute("BEGIN IMMEDIATE")
    connection.info["sqlite_tx"] = "write"


def holds_write_lock(session) -> bool:
    """Whether the session's SQLite transaction holds the write lock (always False elsewhere)."""
    if not session.in_transaction():
        return False
    connection = session.connection()
    return connection.dialect.name == "sqlite" and connection.info.get("sqlite_tx") == "write"


def see_newest(session) -> None:
    """Let a session that has only read see what other connections committed since.

    SQLite keeps a read transaction on its first snapshot; one that wrote nothing can
    simply start again. Other databases read committed data anyway.
    """
    if session.in_transaction():
        connection = session.connection()
        if connection.dialect.name == "sqlite" and connection.info.get("sqlite_tx") == "read":
            raw = connection.connection.driver_connection
            raw.execute("COMMIT")
            raw.execute("BEGIN")
    session.expire_all()
