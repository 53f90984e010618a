"""Sign-in plumbing and HTTP hardening: sessions, CSRF, rate limits, headers."""

from __future__ import annotations

import base64
import copy
import secrets
import time

from flask import Flask, current_app, g, has_request_context, request, session
from flask.globals import app_ctx, request_ctx
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login.utils import _create_identifier
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from werkzeug.middleware.proxy_fix import ProxyFix

from judging import driver_sql
from judging.extensions import csrf, db, limiter, login_manager
from judging.kept import kept
from judging.models import Invitation, RoleGrant, User, UserSession
from judging.models.types import utcnow
from judging.permissions import organizer_grants, remember_roles
from judging.request_connection import UNATTACHED, plain_connection

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
    attach_before_lazy_loads()
    login_manager._session_identifier_generator = session_identifier
    csrf.init_app(app)
    use_form_token(app)
    import judging.ratelimit_storage  # noqa: F401  (registers the sqlite:// limiter storage)

    limiter.init_app(app)
    trust_proxies(app)
    app.session_interface = VerifiedOnceSessions()
    app.after_request(add_security_headers)
    app.extensions["judging.form_tokens"] = {}
    app.before_request(reuse_form_token)
    app.after_request(keep_form_token)
    from judging.io.xlsx.safety import verify_defusedxml

    verify_defusedxml()


def use_form_token(app: Flask) -> None:
    """Templates' ``csrf_token()`` is :func:`form_token`, in place of Flask-WTF's own."""
    app.jinja_env.globals["csrf_token"] = form_token
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if getattr(p, "__module__", "") != "flask_wtf.csrf"]


class VerifiedOnceSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; a cookie this process verified is not verified again.

    Every page of a signed-in person brings the same cookie (it changes only when the
    session does), so its signature, age and payload are checked once and the data is kept
    beside the exact cookie text and its signing time. Later requests get a copy while the
    cookie is within the session lifetime; a changed secret key starts afresh. An unchanged
    session is not signed again (``SESSION_REFRESH_EACH_REQUEST`` is off).
    """

    kept_cookies = 4096

    def __init__(self) -> None:
        self._signing: tuple[tuple, URLSafeTimedSerializer] | None = None
        self._verified: dict[str, tuple[int, dict]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._signing is None or self._signing[0] != keys:
            self._signing = (keys, super().get_signing_serializer(app))
            self._verified = {}
        return self._signing[1]

    def open_session(self, app: Flask, request):
        signing = self.get_signing_serializer(app)
        if signing is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        seen = self._verified.get(cookie)
        if seen is not None and 0 <= int(time.time()) - seen[0] <= max_age:
            return self.session_class(_copied(seen[1]))
        try:
            data, signed_at = signing.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if len(self._verified) >= self.kept_cookies:
            self._verified.clear()
        self._verified[cookie] = (int(signed_at.timestamp()), _copied(data))
        return self.session_class(data)

    def save_session(self, app: Flask, session, response) -> None:
        if session and not self.should_set_cookie(app, session):
            if session.accessed:
                response.vary.add("Cookie")
            return  # what Flask does for an unchanged session, without its cookie settings
        super().save_session(app, session, response)


_SCALARS = (str, int, float, bool, type(None))


def _copied(data: dict) -> dict:
    """A copy a request may change freely: flat when every value is a plain scalar (the usual)."""
    if all(type(value) in _SCALARS for value in data.values()):
        return dict(data)
    return copy.deepcopy(data)


_IDENTIFIERS_KEPT = 4096


def session_identifier() -> str:
    """Flask-Login's fingerprint of the client (address and browser), hashed once per pair.

    The "strong" session protection compares it with the one kept in the session on every
    request; the same address and User-Agent always give the same hash.
    """
    environ = request.environ  # the headers' own lookups raise inside for a missing one
    key = (environ.get("HTTP_X_FORWARDED_FOR"), request.remote_addr, environ.get("HTTP_USER_AGENT"))
    return kept("judging.session_identifiers", key, _create_identifier,
                at_most=_IDENTIFIERS_KEPT)


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
    select(*_USER_COLUMNS, RoleGrant.role, RoleGrant.competition_id, RoleGrant.organisation_id)
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(UserSession.id == bindparam("sid"))
)


def load_user(user_id: str) -> User | None:
    """A user is signed in only while their server-side session row exists.

    Every request asks, so the session, the user and their roles come as plain rows in
    one statement, on the request's connection with no ORM session made for it, and the
    user is attached without being read again.
    """
    sid = session.get("sid")
    if not sid:
        return None
    rows = _signed_in_rows(plain_connection(db), sid)
    if not rows or str(rows[0].id) != user_id or rows[0].disabled:
        return None
    remember_roles(rows[0].id, frozenset(r.role for r in rows if r.role is not None),
                   organizer_grants([(r.competition_id, r.organisation_id)
                                     for r in rows if r.role == "organizer"]))
    return _attached(rows[0])


def _signed_in_rows(connection, sid: str) -> list:
    """The rows of ``_SIGNED_IN`` on the driver's cursor (``driver_sql``): every request asks."""
    return driver_sql.rows(connection, _SIGNED_IN, {"sid": sid})


_USER_KEYS = tuple(column.key for column in _USER_COLUMNS)
_new_user = User.__mapper__.class_manager.new_instance


def _attached(row) -> User:
    """The user of a row as a persistent entity of the request's ORM session, no second read.

    The row's values go in as loaded (committed) state, as the ORM's own loading does,
    without the constructor's per-attribute change tracking. With no session made yet the
    user waits in ``g``: the session attaches it when it is made (``RequestSession``), and
    so does a lazy load of one of its relationships (:func:`attach_before_lazy_loads`).
    """
    registry = db.session.registry
    if not registry.has():
        user = _detached(row)
        setattr(g, UNATTACHED, user)
        return user
    known = registry().identity_map.get(identity_key(User, row.id))
    if known is not None:
        return known
    user = _detached(row)
    registry().add(user)
    return user


def _detached(row) -> User:
    user = _new_user()
    user.__dict__.update(zip(_USER_KEYS, row, strict=False))
    make_transient_to_detached(user)
    return user


def attach_before_lazy_loads() -> None:
    """A relationship of the signed-in user loads even when no ORM session was made yet.

    Its loader first makes the request's session, which attaches the waiting user.
    """
    configure_mappers()
    manager = User.__mapper__.class_manager
    for relationship in User.__mapper__.relationships:
        impl = manager[relationship.key].impl
        if not getattr(impl.callable_, "attaches_user", False):
            impl.callable_ = _attaching(impl.callable_)


def _attaching(load):
    def attaching_load(state, passive):
        if state.session_id is None and has_request_context() \
                and g.get(UNATTACHED) is state.obj():
            db.session()  # made now, it attaches the user (RequestSession)
        return load(state, passive)

    attaching_load.attaches_user = True
    return attaching_load


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


# A session's signed form token is reused for this long: a page's token then expires at most
# this much before WTF_CSRF_TIME_LIMIT, and most pages skip the signing.
TOKEN_REUSE_SECONDS = 60
_TOKENS_KEPT = 4096


def form_token() -> str:
    """The signed CSRF token of this page (Jinja's ``csrf_token()``); one per request."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    return g.get(field) or generate_csrf()


def _token_key(app: Flask, data):
    raw = data.get(app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token")
    if not isinstance(raw, str):
        return None
    return (app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, raw)


def _payload(raw: str) -> str:
    """The first part of a token signed for ``raw`` (itsdangerous: base64 of its JSON)."""
    return base64.urlsafe_b64encode(f'"{raw}"'.encode()).decode().rstrip("=") + "."


def reuse_form_token() -> None:
    """Before a page's forms are built, hand them the session's token signed in the last minute.

    Flask-WTF signs the session's token again on every page; one signed a minute ago for the
    same session token and key is as valid, and Flask-WTF takes it from ``g`` unsigned.
    (The request's context is looked up once: every hook of every request runs this.)
    """
    ctx = request_ctx._get_current_object()
    if ctx.request.endpoint == "static":
        return
    app = ctx.app
    key = _token_key(app, ctx.session)
    signed = app.extensions["judging.form_tokens"].get(key) if key else None
    if signed is not None and time.monotonic() - signed[0] < TOKEN_REUSE_SECONDS:
        data = app_ctx.g
        setattr(data, app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token", signed[1])
        data.form_token_reused = True


def keep_form_token(response):
    """A token this request signed is kept for the session's next pages."""
    ctx = request_ctx._get_current_object()
    app, data = ctx.app, app_ctx.g
    token = data.get(app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token")
    if token is not None and not data.get("form_token_reused"):
        key = _token_key(app, ctx.session)
        kept = app.extensions["judging.form_tokens"]
        if key is not None and token.startswith(_payload(key[1])):
            if len(kept) >= _TOKENS_KEPT:
                kept.clear()
            kept[key] = (time.monotonic(), token)
    return response


# Security headers every response gets unless the view set its own.
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_security_headers(response):
    """CSP without inline script, no framing, no sniffing, a strict referrer."""
    headers = response.headers
    present = {key.lower() for key, _value in headers.items()}
    for key, value in HEADERS:
        if key.lower() not in present:
            headers.add(key, value)
    if request.is_secure and "strict-transport-security" not in present:
        headers.add(*HSTS)
    return response


def warm_up(_absent) -> None:
    """Plan the signed-in row's statement before a worker's first request (no such session)."""
    _signed_in_rows(db.session.connection(), "")
