"""Reads answered again from a SQLite connection's last rows while its database is unchanged.

SQLite tells a connection whether any other connection committed since it last looked
(``PRAGMA data_version``) and counts the rows the connection itself changed, committed or
not (``total_changes``). While both stay the same the connection reads the very database it
read before, so a read every page view repeats (a ranking's key, its entries) is answered
from the rows it gave then. Only a transaction that has not written keeps or reuses rows
(``sqlite_locks`` marks it "read"): one that wrote may roll back. Other databases read every
time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

KEPT = 64  # reads a connection keeps for one state of its database
_INFO = "juara.unchanged_reads"


def read_unless_changed(session, key: Hashable, read: Callable[[], T]) -> T:
    """``read()`` (which must change nothing), or what it gave on this connection before
    when the database has not changed since. ``key`` names the read and its parameters."""
    if session.autoflush:
        session.flush()  # the session's pending changes are part of what read() sees
    connection = session.connection()
    if connection.dialect.name != "sqlite" or connection.info.get("sqlite_tx") != "read":
        return read()  # a transaction that wrote may yet roll back: its rows are not kept
    raw = connection.connection.driver_connection
    # inside the request's transaction: this also fixes the snapshot read() then sees
    stamp = (raw.execute("PRAGMA data_version").fetchone()[0], raw.total_changes)
    seen, values = connection.info.get(_INFO, (None, None))
    if seen != stamp:
        values = {}
        connection.info[_INFO] = (stamp, values)
    if key in values:
        return values[key]
    if len(values) >= KEPT:
        values.clear()
    values[key] = found = read()
    return found
