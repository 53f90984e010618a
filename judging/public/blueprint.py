"""Public blueprint; the routes live in the ``views_*`` modules of this area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)


from judging.public import (  # noqa: E402,F401  (register the routes)
    views_home,
    views_results,
    views_verify,
)
