"""Database wiring: SQLite tuned for several workers, migrations as the only schema path."""

from __future__ import annotations

import contextvars
import fcntl
from pathlib import Path

from flask import Flask, request
from sqlalchemy import event

from judging.extensions import db, migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Whether the next transaction will write; SQLite then takes the write lock up front
# (BEGIN IMMEDIATE) so it waits on busy_timeout instead of failing with "database is locked".
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate; tune SQLite connections."""
    import judging.models  # noqa: F401  (complete metadata before anything reflects it)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            tune_sqlite(db.engine)

    @app.before_request
    def mark_write_intent():
        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))


def tune_sqlite(engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; explicit BEGINs."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def upgrade_if_needed(app: Flask) -> None:
    """Bring an embedded SQLite database to the newest migration at start-up.

    A fresh ``instance/`` then works with no manual step; a file lock keeps several
    workers from migrating at once. PostgreSQL installs run ``flask db upgrade`` instead.
    """
    if not app.config.get("AUTO_UPGRADE", app.config["SQLALCHEMY_DATABASE_URI"].startswith(
        "sqlite"
    )) or not (MIGRATIONS / "env.py").exists():
        return
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config(str(MIGRATIONS)))
        heads = set(script.get_heads())
        lock_path = Path(app.instance_path) / ".migrate.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with db.engine.connect() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
            if current != heads:
                upgrade(directory=str(MIGRATIONS))
