"""Sign-in, sign-out, invitations and language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from judging.accounts import throttle
from judging.accounts.invitations import find_invitation
from judging.audit import record
from judging.auth.blueprint import bp
from judging.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from judging.extensions import db, limiter
from judging.models import User
from judging.models.types import utcnow
from judging.passwords import verify
from judging.permissions import access, has_audience
from judging.security import end_session, replace_password, start_session


def start_page(user: User) -> str:
    """Where each role begins after signing in; the site administrator on their own page."""
    if user.is_admin:
        return url_for("organizer.admin_home")
    for audience, endpoint in (
        ("organizer", "organizer.home"),
        ("juror", "jury.home"),
        ("participant", "participant.home"),
    ):
        if has_audience(user, audience):
            return url_for(endpoint)
    return url_for("public.home")


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@access("public")
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = throttle.locked_for(email)
        if wait:
            return account_locked(form, wait)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if not verify(user, form.password.data):
            throttle.record_failure(email)
            flash(_("Email atau kata sandi salah."), "error")
        elif user.disabled:
            flash(_("Akun ini dinonaktifkan. Hubungi penyelenggara."), "error")
        else:
            start_session(user)
            login_user(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or start_page(user))
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


def account_locked(form: LoginForm, wait: int):
    """Too many wrong passwords for this account lately: refuse without checking this one."""
    minutes = max(1, -(-wait // 60))
    flash(_("Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam "
            "%(minutes)d menit.", minutes=minutes), "error")
    response = current_app.make_response((render_template("auth/login.html", form=form), 429))
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/logout", methods=["POST"])
@access("authenticated")
def logout():
    """Sign out and end the server-side session."""
    logout_user()
    end_session()
    db.session.commit()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("public.home"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@access("public")
def accept_invitation(token: str):
    """Set a password from an invitation link (once, before it expires)."""
    invitation, problem = find_invitation(token)
    if invitation is None:
        messages = {
            "unknown": _("Tautan undangan tidak dikenal."),
            "used": _("Tautan undangan ini sudah dipakai. Silakan masuk dengan kata sandi Anda."),
            "expired": _(
                "Tautan undangan ini sudah kedaluwarsa. Minta tautan baru ke penyelenggara."
            ),
        }
        return render_template("auth/invitation_invalid.html", message=messages[problem]), 410
    form = SetPasswordForm(name=invitation.user.name, account=invitation.user)
    if form.validate_on_submit():
        user = invitation.user
        user.name = form.name.data.strip()
        invitation.used_at = utcnow()
        replace_password(user, form.password.data)
        record("invitation.accepted", object_type="user", object_id=user.id,
               competition_id=invitation.competition_id, actor_id=user.id)
        start_session(user)
        login_user(user)
        db.session.commit()
        flash(_("Kata sandi tersimpan. Selamat datang!"), "success")
        return redirect(start_page(user))
    return render_template("auth/invitation.html", form=form, invitation=invitation)


@bp.route("/password", methods=["GET", "POST"])
@access("authenticated")
def change_password():
    """Replace one's password; every other session and outstanding link of the account ends."""
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not verify(current_user, form.current.data):
            form.current.errors.append(_("Kata sandi saat ini salah."))
            return render_template("auth/password.html", form=form), 400
        user = current_user._get_current_object()
        replace_password(user, form.password.data)
        record("password.changed", object_type="user", object_id=user.id, actor_id=user.id)
        start_session(user)
        login_user(user)
        db.session.commit()
        flash(_("Kata sandi diganti. Sesi lain akun ini sudah diakhiri."), "success")
        return redirect(start_page(user))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
@access("public")
def set_language():
    """Switch the interface language; remembered on the account when signed in."""
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("public.home"))
