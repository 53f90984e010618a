"""JSON API blueprint; the routes live in the ``views_*`` modules of this area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")


from judging.api import views_health, views_results  # noqa: E402,F401  (register the routes)
