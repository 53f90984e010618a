"""Juror blueprint and its template filter; the routes live in the ``views_*`` modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jury", __name__, url_prefix="/jury")


@bp.app_template_filter("plain_number")
def plain_number_filter(value) -> str:
    """Jinja: a Decimal as 80,5 or 100 (never 1E+2)."""
    from judging.marking.marks import plain_number

    return plain_number(value)


from judging.jury import (  # noqa: E402,F401  (register the routes)
    views_home,
    views_marks,
    views_workbook,
)
