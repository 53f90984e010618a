"""A server worker warms up before its first request: templates compiled, NumPy loaded."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from judging import create_app
from judging.warmup import warm_up

ROOT = Path(__file__).resolve().parents[2]


def _fresh_app(app_config, folder: Path, monkeypatch) -> Flask:
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(folder))
    return create_app(app_config)


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
