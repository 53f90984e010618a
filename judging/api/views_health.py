"""The liveness check load balancers poll."""

from __future__ import annotations

from judging.api.blueprint import bp
from judging.permissions import access


@bp.route("/health")
@access("public")
def health():
    """Liveness check for load balancers."""
    return {"status": "ok"}
