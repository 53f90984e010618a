"""Rate-limit counters in a SQLite file, so every worker of one machine shares them.

The ``limits`` library offers memory (one process), Redis, Memcached and MongoDB; the
embedded default needs a store that several gunicorn workers share without a service.
Registered as ``sqlite:///path``; supports the fixed-window strategy.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from limits.storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS counters_expires_at ON counters (expires_at);
"""


class SQLiteStorage(Storage):
    """Fixed-window counters; one short write transaction per hit, safe across processes."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlsplit(uri).path
        if not self.path or self.path == "/":
            raise ValueError(f"rate-limit storage {uri!r} names no file (sqlite:////path/x.db)")
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> closing[sqlite3.Connection]:
        """A fresh connection per call: nothing shared across threads or forked workers."""
        return closing(sqlite3.connect(self.path, timeout=30, isolation_level=None))

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount``; a missing or expired counter starts a new window of ``expiry``."""
        now = time.time()
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
            (value,) = connection.execute(
                "INSERT INTO counters (key, value, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value "
                "RETURNING value", (key, amount, now + expiry)).fetchone()
            connection.execute("COMMIT")
        return value

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def _row(self, key: str) -> tuple[int, float] | None:
        with self._connect() as connection:
            return connection.execute(
                "SELECT value, expires_at FROM counters WHERE key = ? AND expires_at > ?",
                (key, time.time())).fetchone()

    def check(self) -> bool:
        try:
            with self._connect() as connection:
                connection.execute("SELECT 1 FROM counters LIMIT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        """Forget every counter (and prune what has expired anyway)."""
        with self._connect() as connection:
            return connection.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._connect() as connection:
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))

