"""One scoring-plugin registry per app, kept in ``app.extensions``."""

from __future__ import annotations

import logging

from flask import Flask, current_app

from judging.scoring.plugins import BUILTIN_DIR, MethodRegistry, load_methods

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Load built-in and installed methods; a broken plugin is reported, not fatal."""
    registry = load_methods(
        BUILTIN_DIR,
        entry_points=app.config.get("LOAD_ENTRY_POINTS", True),
        extra_plugins=app.config.get("EXTRA_PLUGINS", ()),
    )
    for name, reason in registry.errors:
        log.warning("Plugin %s was not loaded: %s", name, reason)
    app.extensions["judging_methods"] = registry


def methods() -> MethodRegistry:
    """The current app's method registry."""
    return current_app.extensions["judging_methods"]


def hooks():
    """The current app's pluggy hook relay, for firing event hooks."""
    return methods().pm.hook
