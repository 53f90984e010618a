"""Signed, expiry-free tokens that let a recipient turn reminders off from the e-mail."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from judging.extensions import db
from judging.models import User

SALT = "juara.reminders-off"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user: User) -> str:
    """The token in every reminder's "stop reminders" link (the user id, signed)."""
    return _serializer().dumps({"u": user.id})


def user_for(token: str) -> User | None:
    """The user a token names, or None when it was tampered with."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, data.get("u")) if isinstance(data, dict) else None
