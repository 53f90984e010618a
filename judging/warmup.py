"""A server worker's one-time start: templates compiled, heavy libraries loaded.

Without it each gunicorn worker compiles every template it shows (1.7 s for all of them)
and imports NumPy (≈ 0.2 s) inside its first requests, so the first juror or organizer a
fresh worker serves waits for that. ``gunicorn.conf.py`` calls :func:`warm_up` once per
worker after it loads the app. Compiled templates are kept in ``instance/template-cache``
(Jinja's bytecode cache, checked against each template's source), so the workers after the
first read them instead of compiling them again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache

# Imported lazily where they are used (rankings, progress, monev pages); a worker loads them now.
HEAVY_MODULES = ("numpy",)


def warm_up(app: Flask) -> int:
    """Compile every template through the on-disk cache and import the heavy modules.

    Returns how many templates were loaded.
    """
    folder = Path(app.instance_path) / "template-cache"
    folder.mkdir(parents=True, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    for module in HEAVY_MODULES:
        importlib.import_module(module)
    return len(names)


def register(app: Flask) -> None:
    """Let a server's start-up hook find the warm-up without knowing the app's package."""
    app.extensions["warm_up"] = lambda: warm_up(app)
