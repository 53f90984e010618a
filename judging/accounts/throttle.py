"""Failed sign-ins counted per account across every address: a temporary lock.

After ``LOGIN_ACCOUNT_LIMIT`` failures the account refuses passwords until the window
ends (OWASP ASVS 5.0 V6.3; the choice is explained in docs/security.md). Unknown e-mails
are counted the same way, so the lock does not tell which accounts exist.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app
from limits import RateLimitItem, parse_many

from judging.extensions import limiter

NAMESPACE = "login-account"


def _items() -> list[RateLimitItem]:
    return parse_many(current_app.config["LOGIN_ACCOUNT_LIMIT"])


def _key(email: str) -> str:
    """A hash, so the limiter storage never holds e-mail addresses."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _active() -> bool:
    return bool(limiter.enabled and limiter.initialized and current_app.config.get(
        "RATELIMIT_ENABLED", True))


def locked_for(email: str) -> int:
    """Seconds until the account accepts passwords again; 0 when it is not locked."""
    if not _active():
        return 0
    strategy, key, waits = limiter.limiter, _key(email), [0]
    for item in _items():
        if not strategy.test(item, NAMESPACE, key):
            reset = strategy.get_window_stats(item, NAMESPACE, key).reset_time
            waits.append(max(1, math.ceil(reset - time.time())))
    return max(waits)


def record_failure(email: str) -> None:
    """Count one wrong password (or unknown e-mail) against the account."""
    if _active():
        for item in _items():
            limiter.limiter.hit(item, NAMESPACE, _key(email))
