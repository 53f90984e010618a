"""The shared downloads area: its blueprint and the registration of its views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("downloads", __name__)


from judging.downloads import views_evidence  # noqa: E402,F401  (register the routes)
