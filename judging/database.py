"""Database wiring: SQLite tuned for several workers, PostgreSQL connections that keep their
prepared statements, migrations as the only schema path."""

from __future__ import annotations

import contextlib
import fcntl
import re
from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import event, inspect, text

from judging.extensions import db
from judging.sqlite_locks import tune_sqlite

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate; tune SQLite or PostgreSQL connections."""
    import judging.models  # noqa: F401  (complete metadata before anything reflects it)

    busy = float(app.config.get("SQLITE_BUSY_TIMEOUT", 30))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", busy)
    db.init_app(app)
    app.cli.add_command(MigrateCommands("db", help="Database migrations (Flask-Migrate)."))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            tune_sqlite(db.engine, busy)
        elif db.engine.dialect.driver == "psycopg":
            keep_prepared_statements(db.engine)


def keep_prepared_statements(engine) -> None:
    """End a PostgreSQL transaction that only read with COMMIT rather than ROLLBACK.

    psycopg prepares a statement run five times on a connection, and forgets every prepared
    statement at ROLLBACK. A request that only read ends with the session's rollback, so its
    statements were parsed and planned again on every request: most of the database's time
    on the juror page. With nothing written, COMMIT ends the transaction the same way; one
    that wrote anything (or failed) still rolls back.
    """
    from psycopg import Error
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "before_cursor_execute")
    def note_writes(connection, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info["wrote"] = True

    @event.listens_for(engine, "rollback")
    def commit_reads(connection):
        raw = connection.connection.dbapi_connection
        if not connection.info.pop("wrote", False) \
                and raw.info.transaction_status == TransactionStatus.INTRANS:
            with contextlib.suppress(Error):  # the rollback that follows reports it
                raw.commit()  # that rollback then finds no transaction: the statements stay

    @event.listens_for(engine, "commit")
    def end(connection):
        connection.info.pop("wrote", None)


def upgrade_if_needed(app: Flask, *, any_database: bool = False) -> None:
    """Bring an embedded SQLite database to the newest migration at start-up.

    A fresh ``instance/`` then works with no manual step; a file lock keeps several
    workers from migrating at once. PostgreSQL installs run ``flask db upgrade`` instead,
    or ``any_database`` (``flask demo --upgrade``, one process for ``make run``).
    """
    automatic = app.config.get("AUTO_UPGRADE",
                               app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"))
    if not (any_database or automatic) or not (MIGRATIONS / "env.py").exists():
        return
    with app.app_context():
        if _stamped_revisions() == migration_heads():
            return  # the usual start: up to date, checked without loading Alembic
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory
        from flask_migrate import upgrade

        migrate = bind_migrate(app)
        script = ScriptDirectory.from_config(migrate.get_config(str(MIGRATIONS)))
        heads = set(script.get_heads())
        lock_path = Path(app.instance_path) / ".migrate.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with db.engine.connect() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
            if current != heads:
                upgrade(directory=str(MIGRATIONS))


def bind_migrate(app: Flask):
    """Flask-Migrate bound to ``app``, made on first need (it imports Alembic)."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    return app.extensions["migrate"].migrate


_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def migration_heads() -> set[str]:
    """Revisions no other migration builds on, read from the files (as Alembic would)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            ids = set(re.findall(r"[\"']([0-9A-Za-z_]+)[\"']", value))
            (parents if down else revisions).update(ids)
    return revisions - parents


def _stamped_revisions() -> set[str]:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


class MigrateCommands(click.Group):
    """``flask db …``: Flask-Migrate's group, loaded only when it is invoked."""

    def make_context(self, info_name, args, parent=None, **extra):
        """Hand the command line to Flask-Migrate's own group (its options, its callback)."""
        bind_migrate(parent.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)
