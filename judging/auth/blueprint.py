"""The sign-in area: its blueprint and the registration of its views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")


from judging.auth import views_account, views_reminders  # noqa: E402,F401  (register the routes)
