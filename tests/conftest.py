"""Shared fixtures: an app per test on a migrated database, a client, a login helper.

The schema is built once per run through the Alembic migrations (the only way the
schema is made) and copied (SQLite) or emptied (PostgreSQL) between tests.
Set TEST_DATABASE_URL to run the database tests against PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from judging import create_app
from judging.extensions import db

pytest_plugins = ["tests.fixtures.factories", "tests.fixtures.live", "tests.fixtures.redis",
                  "tests.fixtures.smtp", "tests.fixtures.fast_apps"]

PG_URL = os.environ.get("TEST_DATABASE_URL")
TEST_BASE_URL = "http://127.0.0.1:5000"


def base_config(tmp_path, database_url: str) -> dict:
    """Settings every test app shares."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "BASE_URL": TEST_BASE_URL,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "AUTO_UPGRADE": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_IMMEDIATE": True,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }


@pytest.fixture(autouse=True)
def canonical_base_url(monkeypatch):
    """Apps and workers a test starts in other processes get the same base URL."""
    monkeypatch.setenv("JUDGING_BASE_URL", TEST_BASE_URL)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Run every migration once: a template SQLite file, or the PostgreSQL test database."""
    from flask_migrate import upgrade

    from judging.database import MIGRATIONS, bind_migrate

    folder = tmp_path_factory.mktemp("template")
    url = PG_URL or f"sqlite:///{folder / 'template.db'}"
    config = base_config(folder, url)
    os.environ["JUDGING_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app(config)
    bind_migrate(app)
    with app.app_context():
        if PG_URL:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
    return url


@pytest.fixture
def database_url(migrated_database, tmp_path):
    """A fresh database for one test."""
    if PG_URL:
        yield PG_URL
        truncate_all(PG_URL)
        return
    target = tmp_path / "juara.db"
    shutil.copy(migrated_database.removeprefix("sqlite:///"), target)
    yield f"sqlite:///{target}"


# Emptying the few tables a test filled, with foreign-key triggers off for the transaction,
# takes about a third of the time of TRUNCATE on every table (which makes new files for
# each table and index). Sequences a test used start again at 1, as TRUNCATE's would.
EMPTY_FILLED_TABLES = """
DO $$
DECLARE
    name text;
    filled boolean;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR name IN SELECT tablename FROM pg_tables
                WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
        EXECUTE format('SELECT EXISTS (SELECT FROM %I)', name) INTO filled;
        IF filled THEN EXECUTE format('DELETE FROM %I', name); END IF;
    END LOOP;
    FOR name IN SELECT format('%I', sequencename) FROM pg_sequences
                WHERE schemaname = 'public' AND last_value IS NOT NULL LOOP
        EXECUTE format('ALTER SEQUENCE %s RESTART', name);
    END LOOP;
END $$
"""


def truncate_all(url: str) -> None:
    """Empty every table (PostgreSQL runs) so the next test starts clean.

    Turning triggers off needs a superuser (as in .ci/postgres.sh); with another role every
    table is truncated instead.
    """
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            superuser = connection.execute(text(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
            if superuser:
                connection.execute(text(EMPTY_FILLED_TABLES))
                return
        with engine.begin() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public' "
                     "AND tablename <> 'alembic_version'")
            ).scalars().all()
            if tables:
                quoted = ", ".join(f'"{t}"' for t in tables)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture
def app_config(tmp_path, database_url):
    """Override in a test module to change settings before the app is built."""
    return base_config(tmp_path, database_url)


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty ``g``, as it does in production.

    The test keeps an app context pushed (so factories and assertions can use the
    database); Flask would reuse it for requests, and with it ``g`` — where the
    signed-in user, the CSRF token and the locale are cached per request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            if has_app_context():
                g.__dict__.clear()


@pytest.fixture
def app(app_config, tmp_path, monkeypatch):
    """A Juara app with its own instance folder and database."""
    from tests.fixtures.fast_apps import share_compiled_templates

    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(app_config)
    application.test_client_class = FreshRequestClient
    share_compiled_templates(application)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token rendered in a page."""
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return next(group for group in match.groups() if group)


class Browser:
    """A test client that fills the CSRF token like a real form post would."""

    def __init__(self, client):
        self.client = client
        self._token = None

    def token(self) -> str:
        if self._token is None:
            self._token = csrf_from(self.client.get("/auth/login").get_data(as_text=True))
        return self._token

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def under_roots(self, url: str, root: str = "/juara") -> list[tuple[str, str]]:
        """The page at ``url`` as (html, script root): served at the site root, then under
        ``root`` (as behind a proxy that mounts the app there)."""
        plain = self.get(url).get_data(as_text=True)
        return [(plain, ""), (self.get(url, base_url=f"http://localhost{root}/")
                              .get_data(as_text=True), root)]

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, email: str, password: str = "correct horse battery"):
        self._token = None
        response = self.post("/auth/login", {"email": email, "password": password})
        self._token = None
        return response

    def logout(self):
        response = self.post("/auth/logout")
        self._token = None
        return response


@pytest.fixture
def web(client):
    """The test client with CSRF-aware form posts and a login helper."""
    return Browser(client)
