"""The site administrator's pages: accounts and roles, organising bodies, background jobs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from judging.accounts.administration import (
    find_users,
    organisations_with_counts,
    recent_jobs,
    set_disabled,
)
from judging.extensions import db
from judging.models import Competition, Job, Organisation, User
from judging.models.job import JOB_STATES
from judging.organizer.blueprint import bp
from judging.pages.outcome import attempt
from judging.permissions import access


class SwitchForm(FlaskForm):
    """A bare CSRF-protected form for the disable/enable button."""


@bp.route("/admin")
@access("admin")
def admin_home():
    """Where the site administrator starts: the site's accounts, bodies and jobs at a glance."""
    count = db.session.scalar
    return render_template(
        "organizer/admin_home.html",
        users=count(select(func.count()).select_from(User)),
        disabled=count(select(func.count()).select_from(User).where(User.disabled)),
        organisations=count(select(func.count()).select_from(Organisation)),
        competitions=count(select(func.count()).select_from(Competition)),
        running=count(select(func.count()).select_from(Job).where(
            Job.state.in_(("queued", "running")))),
        failed=count(select(func.count()).select_from(Job).where(Job.state == "failed")),
    )


@bp.route("/admin/users")
@access("admin")
def admin_users():
    """Every account with its roles; search by name or e-mail."""
    query = request.args.get("q", "")[:200]
    bodies = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    competitions = dict(db.session.execute(select(Competition.id, Competition.name)).all())
    return render_template("organizer/admin_users.html", users=find_users(query), query=query,
                           body_names=bodies, competition_names=competitions, form=SwitchForm())


@bp.route("/admin/users/<int:user_id>/disabled", methods=["POST"])
@access("admin")
def admin_user_disabled(user_id: int):
    """Switch an account off or back on (audited; switching off ends its sessions)."""
    user = db.session.get(User, user_id) or abort(404)
    if not SwitchForm().validate_on_submit() or request.form.get("disabled") not in ("0", "1"):
        abort(400)
    if attempt(lambda: set_disabled(user, request.form["disabled"] == "1", current_user)):
        flash(_disabled_message(user), "success")
    return redirect(url_for("organizer.admin_users", q=request.args.get("q") or None))


def _disabled_message(user: User) -> str:
    """What the administrator is told after the switch."""
    if user.disabled:
        return _("Akun %(email)s dinonaktifkan.", email=user.email)
    return _("Akun %(email)s diaktifkan kembali.", email=user.email)


@bp.route("/admin/organisations")
@access("admin")
def admin_organisations():
    """Every organising body with its competitions and organizers."""
    return render_template("organizer/admin_organisations.html",
                           rows=organisations_with_counts())


@bp.route("/admin/jobs")
@access("admin")
def admin_jobs():
    """The newest background jobs of the whole site and their state."""
    state = request.args.get("state") or None
    if state not in (None, *JOB_STATES):
        state = None
    return render_template("organizer/admin_jobs.html", jobs=recent_jobs(state), state=state,
                           states=JOB_STATES)
