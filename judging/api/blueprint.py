"""JSON API routes."""

from __future__ import annotations

from flask import Blueprint

from judging.permissions import access

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/health")
@access("public")
def health():
    """Liveness check for load balancers."""
    return {"status": "ok"}


from judging.api import views_results  # noqa: E402,F401  (register the routes)
