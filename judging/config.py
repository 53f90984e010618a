"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Environment variables use the ``JUDGING_`` prefix (``JUDGING_SECRET_KEY``…);
``DATABASE_URL`` and ``REDIS_URL`` are honoured under their usual names.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


class Defaults:
    """Embedded defaults: SQLite in ``instance/``, local uploads, in-process jobs."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")
    DEFAULT_TIMEZONE = "Asia/Jakarta"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "juara_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 110 * 1024 * 1024
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    EVIDENCE_STORAGE = "local"
    EVIDENCE_MAX_FILE_MB = 10
    EVIDENCE_MAX_ENTRY_MB = 100
    IMPORT_MAX_ROWS = 200_000
    IMPORT_BACKGROUND_ROWS = 3_000
    INVITATION_DAYS = 7
    JOBS_IMMEDIATE = False
    CERTIFICATE_WORKERS: int | None = None  # processes rendering a batch; None = all cores
    CERTIFICATE_BASE_URL: str | None = None  # address in QR codes; None = the request's host
    PREFERRED_URL_SCHEME = "http"
    BASE_URL = "http://127.0.0.1:5000"  # every absolute link (e-mails, invitations) starts here
    # Outgoing mail (JUDGING_MAIL_*): "outbox" writes .eml files into instance/outbox for the
    # site administrator to read; "smtp" uses MAIL_SERVER; None = smtp when a server is set.
    MAIL_BACKEND: str | None = None
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Juara <juara@localhost>"
    MAIL_TIMEOUT = 30
    MAIL_MAX_ATTEMPTS = 5  # a message failing this often is marked failed with the reason
    MAIL_RETRY_SECONDS = 300  # wait before the next attempt, times the attempts so far
    MAIL_REMINDER_DAYS = (7, 3, 1)  # reminders go out this many days before each deadline


def load_config(app: Flask, overrides: dict | None) -> None:
    """Apply defaults, the instance file, the environment, then test overrides."""
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}  # a fresh dict per app: it gets filled in
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
        Path(app.instance_path) / "juara.db"
    )
    app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    app.config["MAIL_OUTBOX"] = str(Path(app.instance_path) / "outbox")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("JUDGING")
    for name in ("DATABASE_URL", "JUDGING_DATABASE_URL"):
        if os.environ.get(name):
            app.config["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ[name])
    if os.environ.get("REDIS_URL"):
        app.config.setdefault("REDIS_URL", os.environ["REDIS_URL"])
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` URLs (Heroku style)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret(instance: Path) -> str:
    """Return the install's secret key, creating it once so fresh installs are secure."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        tmp = instance / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # atomic: concurrent workers agree on one key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
