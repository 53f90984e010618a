"""The participant area: its blueprint and the registration of its views."""

from __future__ import annotations

from flask import Blueprint

from judging.io.files.check import LABELS

bp = Blueprint("participant", __name__, url_prefix="/participant")


@bp.context_processor
def labels() -> dict:
    """Names of file kinds in this area's pages (statuses come from judging.i18n)."""
    return {"kind_labels": LABELS}


from judging.participant import (  # noqa: E402,F401  (register the routes)
    views_certificates,
    views_entries,
    views_saq,
)
