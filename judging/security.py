"""Sign-in plumbing and HTTP hardening: sessions, CSRF, rate limits, headers."""

from __future__ import annotations

import secrets

from flask import Flask, request, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from werkzeug.middleware.proxy_fix import ProxyFix

from judging.extensions import csrf, db, limiter, login_manager
from judging.models import Invitation, RoleGrant, User, UserSession
from judging.models.types import utcnow
from judging.permissions import remember_roles

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Bind login, CSRF and the rate limiter; add security headers to every response."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    import judging.ratelimit_storage  # noqa: F401  (registers the sqlite:// limiter storage)

    limiter.init_app(app)
    trust_proxies(app)
    app.after_request(add_security_headers)
    from judging.io.xlsx.safety import verify_defusedxml

    verify_defusedxml()


def trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_COUNT`` proxies, take the client address and scheme from their headers.

    Address limits need the client's address, not the proxy's; the Host header is never
    taken from the proxy's forwarding headers (links come from ``BASE_URL``).
    """
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


# The session row, its user and the user's roles in one statement: one row per grant.
_USER_COLUMNS = tuple(User.__table__.columns)
_SIGNED_IN = (
    select(*_USER_COLUMNS, RoleGrant.role)
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(UserSession.id == bindparam("sid"))
)


def load_user(user_id: str) -> User | None:
    """A user is signed in only while their server-side session row exists.

    Every request asks, so the session, the user and their roles come as plain rows in
    one statement and the user is attached without being read again.
    """
    sid = session.get("sid")
    if not sid:
        return None
    rows = db.session.connection().execute(_SIGNED_IN, {"sid": sid}).all()
    if not rows or str(rows[0].id) != user_id or rows[0].disabled:
        return None
    remember_roles(rows[0].id, frozenset(r.role for r in rows if r.role is not None))
    return _attached(rows[0])


def _attached(row) -> User:
    """The user of a row as a persistent entity of this session, with no second read."""
    known = db.session.identity_map.get(identity_key(User, row.id))
    if known is not None:
        return known
    user = User(**{column.key: getattr(row, column.key) for column in _USER_COLUMNS})
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def start_session(user: User) -> None:
    """Rotate the session at login: a fresh cookie and a fresh server-side row."""
    session.clear()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, user_id=user.id))
    user.last_login_at = utcnow()
    session["sid"] = sid
    session.permanent = True


def replace_password(user: User, password: str) -> None:
    """Set a new password; every outstanding link and every session of the account ends.

    Whoever held an older invitation (or reset) link, or a signed-in cookie, loses it the
    moment the real person sets their password. Callers start a fresh session afterwards.
    """
    user.set_password(password)
    db.session.execute(
        db.update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))


def end_session() -> None:
    """Delete the server-side row so a copied cookie no longer signs anyone in."""
    sid = session.get("sid")
    if sid:
        db.session.execute(db.delete(UserSession).where(UserSession.id == sid))
    session.clear()


def add_security_headers(response):
    """CSP without inline script, no framing, no sniffing, a strict referrer."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response
