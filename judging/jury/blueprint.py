"""Juror blueprint; the routes live in the ``views_*`` modules of this area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jury", __name__, url_prefix="/jury")


from judging.jury import (  # noqa: E402,F401  (register the routes)
    views_home,
    views_marks,
    views_verification,
    views_workbook,
)
