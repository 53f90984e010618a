"""A server worker warms up before its first request: templates compiled, NumPy loaded, the
hot pages' statements compiled and both languages' locale data read, writing nothing."""

from __future__ import annotations

import logging
import runpy
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import babel.localedata
import pytest
from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import event
from sqlalchemy.engine.interfaces import CacheStats

from judging import create_app, driver_sql, i18n, layout
from judging.competitions.transitions import change_phase
from judging.extensions import db
from judging.io.xlsx import numbers
from judging.warmup import warm_up
from tests.conftest import Browser
from tests.fixtures.worlds.jury_world import World, build_world, form_data, values
from tests.fixtures.worlds.results_world import build_results_world

ROOT = Path(__file__).resolve().parents[2]


_MADE: list[Flask] = []


@pytest.fixture(autouse=True)
def _closed_engines():
    """Fresh apps' pooled connections are closed after each test, as a worker's at exit."""
    yield
    while _MADE:
        with _MADE.pop().app_context():
            db.engine.dispose()


def _fresh_app(app_config, folder: Path, monkeypatch) -> Flask:
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(folder))
    _MADE.append(create_app(app_config))
    return _MADE[-1]


def test_every_template_is_compiled_and_kept_for_the_next_worker(app_config, tmp_path,
                                                                  monkeypatch):
    first = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
    names = first.jinja_env.list_templates()
    assert warm_up(first) == len(names) and "jury/entry.html" in names
    assert set(names) <= {name for _, name in first.jinja_env.cache.keys()}
    kept = list((tmp_path / "instance" / "template-cache").iterdir())
    assert len(kept) >= len(names)  # one compiled file per template
    assert "numpy" in sys.modules

    second = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
    compiled, compile_source = [], second.jinja_env.compile
    monkeypatch.setattr(second.jinja_env, "compile",
                        lambda *a, **k: compiled.append(a) or compile_source(*a, **k))
    warm_up(second)
    assert compiled == []  # read back from the cache, not compiled again
    assert set(names) <= {name for _, name in second.jinja_env.cache.keys()}


def test_a_changed_template_is_compiled_again(app_config, tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("one")

    def app_with_page() -> Flask:
        app = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
        app.jinja_env.loader = ChoiceLoader([FileSystemLoader(str(folder)), app.jinja_env.loader])
        warm_up(app)
        return app

    assert app_with_page().jinja_env.get_template("page.html").render() == "one"
    (folder / "page.html").write_text("two")
    assert app_with_page().jinja_env.get_template("page.html").render() == "two"


def test_gunicorn_warms_each_worker_of_the_app_and_leaves_other_apps_alone(app_config, tmp_path,
                                                                            monkeypatch):
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    app = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
    settings["post_worker_init"](SimpleNamespace(wsgi=app))
    assert any(name == "jury/entry.html" for _, name in app.jinja_env.cache.keys())
    settings["post_worker_init"](SimpleNamespace(wsgi=Flask("hello")))  # nothing to warm


@contextmanager
def compiled_reads(app: Flask):
    """The SELECT statements compiled (not found in the engine's cache) inside the block."""
    compiled: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, context, _many):
        if statement.startswith("SELECT") and context is not None and (
                context.cache_hit is CacheStats.CACHE_MISS):
            compiled.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield compiled
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def _warmed_worker(app_config, tmp_path, monkeypatch) -> tuple[Flask, list[str]]:
    """A fresh app warmed up as a worker is, with the locale data it loads afterwards."""
    worker = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
    loaded: list[str] = []
    cache, load = {}, babel.localedata.load
    monkeypatch.setattr(babel.localedata, "_cache", cache)  # as in a fresh process
    monkeypatch.setattr(babel.localedata, "load", lambda name, merge_inherited=True: (
        loaded.append(name) if name not in cache else None) or load(name, merge_inherited))
    monkeypatch.setattr(i18n, "_LOCALES", {})
    numbers._decimal_symbols.cache_clear()
    driver_sql.forget_plans()
    warm_up(worker)
    loaded.clear()
    return worker, loaded


# What a warmed worker still compiles: the criteria read lazily from a category loaded with
# its competition (the loader's options are part of that statement; no row matches id 0).
LEFT = ("SELECT criteria.id",)


def test_a_warmed_worker_compiles_no_read_and_loads_no_locale_data_on_the_hot_pages(
        app, make, app_config, tmp_path, monkeypatch):
    published = build_results_world(make, phase="final")
    change_phase(published.competition, "published")
    competition = make.competition(phase="judging")
    category = make.category(competition)
    entry, later = (make.entry(category, status="submitted") for _ in range(2))
    juror = make.juror(competition, [category], email="juri@juara.test")
    make.grant(published.organizer, "organizer", competition_id=competition.id)
    make.participant(entry.entrant, email="peserta@juara.test")
    make.commit()
    world = World(competition, category, [entry, later], juror, published.organizer)
    worker, loaded = _warmed_worker(app_config, tmp_path, monkeypatch)
    planned = set(driver_sql._PLANS)
    rendered = []
    render = layout._render
    monkeypatch.setattr(layout, "_render", lambda *a: rendered.append(a[:3]) or render(*a))

    juror, organizer, participant, visitor = (Browser(worker.test_client()) for _ in range(4))
    for browser, email in ((juror, "juri@juara.test"), (organizer, "panitia@juara.test"),
                           (participant, "peserta@juara.test")):
        browser.login(email)
    with worker.app_context():
        posted = form_data(world, later, values(*[7] * len(world.criteria)), submit=True)
    posted["csrf_token"] = juror.token()
    for language in ("id", "en"):
        with compiled_reads(worker) as compiled:
            for browser, url in [
                    (juror, f"/jury/entry/{entry.id}"),
                    (participant, f"/participant/entries/{entry.id}"),
                    (organizer, f"/organizer/competitions/{world.competition.id}/progress"),
                    (organizer, f"/organizer/categories/{world.category.id}/ranking"),
                    (visitor, f"/results/{published.competition.id}")]:
                assert browser.get(f"{url}?lang={language}").status_code == 200, url
            if language == "id":
                saved = juror.post(f"/jury/entry/{later.id}/score", posted)
                assert saved.status_code in (302, 303)
        left = [s for s in compiled if not s.startswith(LEFT)]
        assert left == [], "\n".join(s[:150] for s in left)
    assert rendered == []  # the frame's parts were kept for each language and audience
    assert loaded == []  # neither language's number symbols nor date patterns read again
    new_reads = [statement for key, (statement, _) in driver_sql._PLANS.items()
                 if key not in planned and getattr(statement, "is_select", False)]
    assert new_reads == []  # reads on the driver's cursor (SQLite) were planned too


def test_warm_up_on_an_empty_database_logs_and_goes_on(app_config, tmp_path, monkeypatch,
                                                       caplog):
    empty = tmp_path / "empty.db"
    worker = _fresh_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{empty}"},
                        tmp_path / "instance", monkeypatch)
    monkeypatch.setattr(i18n, "warm_up", lambda: 1 / 0)  # any other step failing, too
    with caplog.at_level(logging.WARNING, logger="judging.warmup"):
        assert warm_up(worker) > 0  # templates compiled all the same
    skipped = " ".join(r.getMessage() for r in caplog.records)
    assert "judging.marking.scoring_entry skipped" in skipped
    assert "locale data skipped: division by zero" in skipped
    with worker.app_context():  # nothing left switched to read-only
        db.session.execute(db.text("CREATE TABLE t (x)"))
        db.session.commit()


def test_warm_up_writes_nothing(app, make, app_config, tmp_path, monkeypatch):
    build_world(make, entries=2)
    worker = _fresh_app(app_config, tmp_path / "instance", monkeypatch)
    written: list[str] = []
    with worker.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda _c, _cu, statement, *_a: written.append(
        statement) if statement.lstrip().upper().startswith(
        ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER")) else None)
    warm_up(worker)
    assert written == []
    with worker.app_context():  # the pooled connection is not left read-only
        if db.engine.dialect.name == "sqlite":
            assert db.session.connection().exec_driver_sql("PRAGMA query_only").scalar() == 0
