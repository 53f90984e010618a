"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Environment variables use the ``JUDGING_`` prefix (``JUDGING_SECRET_KEY``…);
``DATABASE_URL`` and ``REDIS_URL`` are honoured under their usual names.
Outside development (Flask's debug mode or ``TESTING``) ``BASE_URL`` is required: every
absolute link is built from it, never from the request's Host header.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

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
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12  # from sign-in (or the session's last change)
    # An unchanged session is not signed and sent again on every response (a cost on each
    # page); signing out, a password change or a deleted session row still end it at once.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 110 * 1024 * 1024
    BASE_URL: str | None = None  # the public address of every absolute link (required in prod)
    TRUSTED_HOSTS: list[str] | None = None  # None = BASE_URL's host (+ localhost in development)
    RATELIMIT_STORAGE_URI: str | None = None  # None = REDIS_URL, else SQLite in instance/
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    LOGIN_ACCOUNT_LIMIT = "10 per 15 minutes"  # failed passwords per account, from any address
    VERIFY_RATE_LIMIT = "30 per minute;300 per hour"
    PROXY_COUNT = 0  # reverse proxies in front whose X-Forwarded-For/-Proto are trusted
    EVIDENCE_STORAGE = "local"
    EVIDENCE_MAX_FILE_MB = 10
    EVIDENCE_MAX_ENTRY_MB = 100
    IMPORT_MAX_ROWS = 200_000
    IMPORT_BACKGROUND_ROWS = 3_000
    INVITATION_DAYS = 7
    JOBS_IMMEDIATE = False
    CERTIFICATE_WORKERS: int | None = None  # processes rendering a batch; None = all cores
    PREFERRED_URL_SCHEME = "http"
    SQLITE_BUSY_TIMEOUT = 30  # seconds a writer waits for SQLite's write lock
    JOB_HEARTBEAT_SECONDS = 10  # how often a running job says it is alive
    JOB_STALE_SECONDS = 45  # a running job silent this long died with its worker
    JOB_STALL_SECONDS = 30 * 60  # a job with no progress this long counts as stalled
    JOB_RECORD_PATIENCE = 300  # seconds a job's state change keeps retrying a busy database
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
    MAIL_CLAIM_SECONDS = 3600  # a message a sender took this long ago and never finished is retaken
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
    if overrides:
        app.config.update(overrides)
    resolve_links(app)
    resolve_limiter_storage(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1")
MISSING_BASE_URL = (
    "JUDGING_BASE_URL is not set. Juara builds every absolute link (invitations, certificate "
    "QR codes) from it and never from the request's Host header, so it will not start without "
    "it outside development. Set it to the public address, e.g. "
    "JUDGING_BASE_URL=https://juara.example.go.id (see README, Production)."
)


class ConfigurationError(RuntimeError):
    """A setting the app cannot run without is missing or malformed: refuse to start."""


def is_development(app: Flask) -> bool:
    """Flask's debug mode or the test suite: the only runs that may guess the base URL."""
    return bool(app.debug or app.testing)


def resolve_links(app: Flask) -> None:
    """Check ``BASE_URL`` and accept only its host (plus localhost in development)."""
    base = app.config.get("BASE_URL")
    if not base:
        if not is_development(app):
            raise ConfigurationError(MISSING_BASE_URL)
        base = DEVELOPMENT_BASE_URL
    parts = urlsplit(str(base))
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigurationError(
            f"JUDGING_BASE_URL={base!r} is not a web address like https://juara.example.go.id.")
    app.config["BASE_URL"] = str(base).rstrip("/")
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",") if h.strip()]
    if not hosts:
        hosts = [parts.hostname, *(DEVELOPMENT_HOSTS if is_development(app) else ())]
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))


def resolve_limiter_storage(app: Flask) -> None:
    """Rate-limit counters every worker sees: Redis when configured, else SQLite in instance/."""
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or (
            "sqlite:///" + str(Path(app.instance_path) / "ratelimits.db"))


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
