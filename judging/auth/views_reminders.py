"""Recipients turn deadline reminders off (or on again) from the link in every reminder.

Invitations and results are always sent; only reminders can be refused. GET never
changes anything (mail scanners open links); the button posts.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_wtf import FlaskForm

from judging.audit import record
from judging.auth.blueprint import bp
from judging.extensions import db
from judging.mail.optout import user_for
from judging.permissions import access


@bp.route("/reminders/<token>", methods=["GET", "POST"])
@access("public")
def reminders_off(token: str):
    """Show the reminder choice for the person the signed link names; save it on POST."""
    user = user_for(token) or abort(404)
    form = FlaskForm()
    saved = False
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        user.reminders_off = request.form.get("choice") != "on"
        record("mail.reminders", object_type="user", object_id=user.id,
               after={"reminders_off": user.reminders_off}, actor_id=user.id)
        db.session.commit()
        saved = True
    return render_template("auth/reminders.html", user=user, form=form, saved=saved)
