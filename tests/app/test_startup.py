"""The app starts from an empty instance folder, migrates itself and keeps one secret key."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from judging import create_app
from judging.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def test_starts_from_an_empty_instance_with_no_manual_step(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("JUDGING_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert (instance / "juara.db").exists()
    key = (instance / "secret_key").read_text()
    assert len(key) == 64 and app.config["SECRET_KEY"] == key
    assert oct((instance / "secret_key").stat().st_mode & 0o777) == "0o600"
    response = app.test_client().get("/auth/login", base_url="http://127.0.0.1:5000")
    assert response.status_code == 200
    tables = {
        row[0] for row in sqlite3.connect(instance / "juara.db").execute(
            "SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"users", "competitions", "marks", "alembic_version"} <= tables
    with app.app_context():
        db.engine.dispose()
    again = create_app()
    assert again.config["SECRET_KEY"] == key  # generated once, reused after


def test_sqlite_connections_are_tuned_for_several_workers(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_migrations_match_the_models(app):
    """The schema is made only by migrations, so they must describe every model."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "i"))
    monkeypatch.setenv("JUDGING_EVIDENCE_MAX_FILE_MB", "3")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["EVIDENCE_MAX_FILE_MB"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.db'}"
    with app.app_context():
        db.engine.dispose()


def test_postgres_urls_use_psycopg3():
    from judging.config import database_url

    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_engine_options_are_not_shared_between_apps(app, tmp_path, monkeypatch):
    """SQLite-only connect arguments must never leak into another app's (e.g. PostgreSQL) engine."""
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "other"))
    other = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql://u@127.0.0.1:9/x",
                        "AUTO_UPGRADE": False})
    assert "connect_args" not in other.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert other.config["SQLALCHEMY_ENGINE_OPTIONS"] is not app.config["SQLALCHEMY_ENGINE_OPTIONS"]


HEAVY = ("weasyprint", "openpyxl", "python_calamine", "numpy", "alembic", "huey", "PIL")
COUNT_HEAVY = f"""
import sys
from judging import create_app
create_app()
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def run_fresh(code: str, instance) -> str:
    """Run ``code`` in a new interpreter (nothing already in sys.modules) on this checkout."""
    env = dict(os.environ, JUDGING_INSTANCE_PATH=str(instance), PYTHONPATH=str(ROOT))
    for name in ("DATABASE_URL", "JUDGING_DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def test_start_up_loads_no_heavy_library(tmp_path):
    """Every CLI command and web worker builds the app; rendering and workbooks load later."""
    run_fresh(COUNT_HEAVY, tmp_path)  # first start: migrates the new database (Alembic)
    assert run_fresh(COUNT_HEAVY, tmp_path) == ""


def test_migration_heads_are_read_from_the_files_as_alembic_reads_them(app):
    from alembic.script import ScriptDirectory

    from judging.database import bind_migrate, migration_heads

    script = ScriptDirectory.from_config(bind_migrate(app).get_config())
    assert migration_heads() == set(script.get_heads())


def test_db_commands_load_flask_migrate_on_demand(app, runner):
    assert "migrate" not in app.extensions
    result = runner.invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
    assert app.extensions["migrate"].directory.endswith("migrations")
