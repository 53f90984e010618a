"""CSRF protection whose token signatures are verified once per process.

A page's signed token is reused for a minute (``security.reuse_form_token``), so a juror's
saves bring the same token again and again; Flask-WTF would check its signature each time.
A token verified here is kept with its signing time and the session token inside it: a
later post with it is valid while it is within ``WTF_CSRF_TIME_LIMIT`` and names this
session's token, the checks Flask-WTF makes once the signature holds. Anything else (a
new token, expired, another session's) takes Flask-WTF's own path, its refusals included.
"""

from __future__ import annotations

import hmac
import time

from flask import current_app, g, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin
from itsdangerous import URLSafeTimedSerializer

KEPT = 4096  # tokens a process keeps; the next one past that clears them


class CheckedOnceCSRF(CSRFProtect):
    """Flask-WTF's ``CSRFProtect``; a token it verified is not verified again."""

    def __init__(self, app=None):
        self._verified: dict[tuple[str, str], tuple[int, str]] = {}
        super().__init__(app)

    def protect(self, apply_exemptions=False):
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return None  # a GET: nothing to check (Flask-WTF would look up exemptions first)
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return None
        token = self._get_csrf_token()
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        if not (token and secret and self._known(secret, token)):
            super().protect()  # exemptions applied above; refuses (400) unless the token is valid
            self._remember(secret, token)
            return None
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:  # as Flask-WTF checks it
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True
        return None

    def _known(self, secret: str, token: str) -> bool:
        """Verified before, still in time, and this session's token."""
        found = self._verified.get((secret, token))
        if found is None:
            return False
        signed_at, raw = found
        limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
        age = int(time.time()) - signed_at
        if age < 0 or (limit is not None and age > limit):
            return False
        stored = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token")
        return isinstance(stored, str) and hmac.compare_digest(stored, raw)

    def _remember(self, secret: str, token: str) -> None:
        """Keep a token Flask-WTF just accepted, with its signing time and session token."""
        if not (token and secret):
            return
        raw, signed_at = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(
            token, return_timestamp=True)
        if len(self._verified) >= KEPT:
            self._verified.clear()
        self._verified[(secret, token)] = (int(signed_at.timestamp()), raw)
