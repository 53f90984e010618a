"""Juara: award-competition judging. ``create_app`` is the only thing done at import."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from judging.hosts import CanonicalHostFlask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app in order: config → extensions → database → plugins → mail → web → CLI."""
    app = CanonicalHostFlask(
        __name__,
        instance_path=os.environ.get("JUDGING_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from judging import config as config_module
    from judging import database, i18n, job_kinds, mail, plugin_setup, security, warmup, web

    config_module.load_config(app, config)
    database.init_app(app)
    plugin_setup.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    job_kinds.register()
    web.init_app(app)
    warmup.register(app)

    from judging.cli import register_commands

    register_commands(app)
    database.upgrade_if_needed(app)
    return app
