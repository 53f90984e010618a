"""A server worker's one-time start: what its first requests would otherwise pay for.

Without it each gunicorn worker compiles every template it shows (1.7 s for all of them),
imports NumPy (≈ 0.2 s), configures the ORM's mappers, reads Babel's locale data and
compiles each hot page's SQL inside its first requests, so the first visitors a fresh
worker serves wait for that. ``gunicorn.conf.py`` calls :func:`warm_up` once per worker
after it loads the app. Compiled templates are kept in ``instance/template-cache``
(Jinja's bytecode cache, checked against each template's source), so the workers after the
first read them instead of compiling them again.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache
from sqlalchemy.orm import configure_mappers, make_transient_to_detached

from judging import i18n, layout
from judging.extensions import db

log = logging.getLogger(__name__)

# Imported lazily where they are used (rankings, progress, monev pages); a worker loads them now.
HEAVY_MODULES = ("numpy", "numpy.ma")

# Modules whose ``warm_up(absent)`` runs their hot pages' reads with ids that match nothing,
# so the statements' compiled forms are in the engine's cache before a visitor asks.
READERS = (
    "judging.security",  # the signed-in row, every request
    "judging.marking.scoring_entry",  # the juror's page
    "judging.marking.sheet_read",  # the scoresheet save's read
    "judging.participant.loading",  # the participant's entry page
    "judging.organizer.loading",  # the organizer's competition and category
    "judging.marking.progress",  # progress tallies
    "judging.marking.conflicts",
    "judging.results.inputs",  # the ranking's inputs and fingerprint
    "judging.results.awards",
    "judging.results.freeze",  # frozen rankings: the public results page
    "judging.results.pagecache",
    "judging.certificates.design",
)


def warm_up(app: Flask) -> int:
    """Compile every template through the on-disk cache, import the heavy modules, load the
    locale data and compile the hot reads. Returns how many templates were loaded."""
    folder = Path(app.instance_path) / "template-cache"
    folder.mkdir(parents=True, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    for module in HEAVY_MODULES:
        importlib.import_module(module)
    configure_mappers()
    with app.app_context():
        _step("locale data", i18n.warm_up)
        _step("page frame", lambda: layout.warm_up(app))
        for module in READERS:
            _step(module, lambda module=module: _reads(module))
    return len(names)


def _step(what: str, work) -> None:
    """One warm-up step; a failure (an empty or older database) is logged and skipped, and
    that worker's first request does the work instead."""
    try:
        work()
    except Exception as error:  # noqa: BLE001 - a warm-up never stops the worker
        log.warning("warm-up of %s skipped: %s", what,
                    (str(error).splitlines() or [type(error).__name__])[0])


def _reads(module: str) -> None:
    """A module's hot reads, in a read-only transaction."""
    with _read_only() as absent:
        importlib.import_module(module).warm_up(absent)


@contextmanager
def _read_only() -> Iterator:
    """A transaction the database itself keeps from writing, rolled back afterwards."""
    session = db.session
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    connection.exec_driver_sql("PRAGMA query_only = ON" if sqlite
                               else "SET TRANSACTION READ ONLY")
    try:
        yield lambda model: _absent(session, model)
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA query_only = OFF")
        session.rollback()
        session.expunge_all()


def _absent(session, model):
    """A row of ``model`` that is not there (its keys 0) attached as if read, so that its
    lazy loads run their statements and find nothing."""
    row = model.__mapper__.class_manager.new_instance()
    for column in model.__table__.columns:
        key = model.__mapper__.get_property_by_column(column).key
        row.__dict__[key] = 0 if column.primary_key or column.foreign_keys else None
    make_transient_to_detached(row)
    session.add(row)
    return row


def register(app: Flask) -> None:
    """Let a server's start-up hook find the warm-up without knowing the app's package."""
    app.extensions["warm_up"] = lambda: warm_up(app)
