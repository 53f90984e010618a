"""How a transaction ends: read-only work keeps PostgreSQL's prepared statements; writes that
are rolled back are gone, on SQLite and PostgreSQL alike (judging/database.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from judging.extensions import db
from judging.models import Organisation, User


def _organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def _prepared_statements() -> int:
    return db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))


def _needs_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL (psycopg) matter")


def test_read_only_transactions_keep_the_prepared_statements(app, make):
    """psycopg prepares a statement run 5 times and forgets them all at ROLLBACK: a read-only
    request (ended by the session's rollback) must not make every request plan them again."""
    _needs_postgres()
    juror = make.user("juri@juara.test")
    make.commit()
    for _ in range(7):
        assert db.session.scalar(select(User.email).where(User.id == juror.id)) == juror.email
        db.session.remove()  # the end of a request: the session rolls back
    assert _prepared_statements() >= 1


def test_the_juror_page_is_planned_once_per_connection(web, make):
    """The same through a real page: its statements stay prepared between requests."""
    _needs_postgres()
    from tests.fixtures.worlds.jury_world import build_world

    entry_id = build_world(make, entries=1).entries[0].id
    web.login("juri@juara.test")
    for _ in range(7):
        db.session.remove()
        assert web.get(f"/jury/entry/{entry_id}").status_code == 200
    db.session.remove()
    # the page's two statements (the signed-in row, the page's one read), prepared after
    # psycopg's fifth run of each; a ROLLBACK per request would have dropped them (0)
    assert _prepared_statements() >= 2


def test_a_write_rolled_back_after_reads_is_gone(app, make):
    before = _organisations()
    make.organisation()  # read, then insert and flush: the transaction has written
    db.session.rollback()
    assert _organisations() == before
    db.session.add(Organisation(name="Dinas Dibatalkan", code="BATAL"))
    db.session.flush()
    db.session.remove()  # the end of a request that did not commit
    assert db.session.scalar(select(func.count()).where(Organisation.code == "BATAL")) == 0


def test_a_failed_statement_rolls_back_and_the_session_goes_on(app, make):
    make.organisation(code="SAMA")
    make.commit()
    db.session.add(Organisation(name="Kembar", code="SAMA"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert _organisations() == 1
    make.organisation(code="LAIN")
    make.commit()
    assert _organisations() == 2


def test_a_connection_lost_after_reads_is_reported_and_replaced(app, make):
    """The server ended the connection mid-request: ending the session reports it as any
    rollback would (SQLAlchemy's error, the connection invalidated), and the next request
    gets a new connection."""
    _needs_postgres()
    make.organisation()
    make.commit()
    backend = db.session.scalar(text("SELECT pg_backend_pid()"))
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    with pytest.raises(OperationalError) as lost:
        db.session.remove()
    assert lost.value.connection_invalidated
    db.session.remove()
    assert _organisations() == 1


def test_a_connection_returned_mid_transaction_is_rolled_back(app, make):
    """A connection handed back with its transaction open (no session ended it: a failure
    half-way) is rolled back on return: its write is gone and it holds no lock, so the next
    user of the pool (or another process, on SQLite) writes at once. The pool's reset does
    this; it stays on: on an idle connection it costs ~2 µs, less than any listener that
    would skip it."""
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    if db.engine.dialect.name == "sqlite":
        cursor.execute("BEGIN IMMEDIATE")  # SQLite's write lock, as a request that wrote holds
    cursor.execute("INSERT INTO organisations (name, code, created_at) "
                   "VALUES ('Dinas Setengah', 'SETENGAH', CURRENT_TIMESTAMP)")
    cursor.close()
    raw.close()  # back to the pool with the transaction still open
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    if db.engine.dialect.name == "sqlite":
        assert not driver.in_transaction
    else:
        assert driver.info.transaction_status == 0  # idle
    raw.close()
    if db.engine.dialect.name == "sqlite":
        import sqlite3

        other = sqlite3.connect(db.engine.url.database, timeout=0)  # another process's view
        other.execute("INSERT INTO organisations (name, code, created_at) "
                      "VALUES ('Dinas Lain', 'LAIN', CURRENT_TIMESTAMP)")
        other.commit()
        other.close()
    assert db.session.scalar(select(func.count()).where(Organisation.code == "SETENGAH")) == 0
