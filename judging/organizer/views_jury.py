"""Jury pages: add jurors, assign categories or entries, conflicts, automatic assignment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from judging.accounts.grants import invitation_link
from judging.extensions import db
from judging.mail import notify
from judging.marking.conflicts import conflict_gaps, record_conflict_for
from judging.marking.jurors import (
    add_juror,
    assign_category,
    assign_entries,
    assignment_matrix,
    auto_assign,
    conflicts_of,
    jurors_of,
    picked_entries,
    replace_for_conflict,
    require_juror,
)
from judging.marking.progress import competition_entries
from judging.models import Entry
from judging.organizer.blueprint import bp
from judging.organizer.forms import (
    AssignmentForm,
    AutoAssignForm,
    ConflictRecordForm,
    EntryPickForm,
    JurorForm,
    options,
)
from judging.organizer.loading import managed_category, managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access


def mail_invitation(invited, role: str, competition) -> None:
    """Record the invitation (or role notice) e-mail, commit, and send it in the background."""
    message = notify.invitation(invited, role, competition.name, competition_id=competition.id)
    db.session.commit()
    notify.send_later([message], competition_id=competition.id, user_id=current_user.id)


def _category_choices(competition):
    return options([(c.id, c.name) for c in competition.categories])


@bp.route("/competitions/<int:competition_id>/jury")
@access("organizer")
def jury(competition_id: int):
    """Jurors, their categories, declared conflicts and the automatic assignment."""
    competition = managed_competition(competition_id)
    jurors = jurors_of(competition)
    form = JurorForm()
    form.categories.choices = _category_choices(competition)
    return render_template(
        "organizer/jury.html", competition=competition, jurors=jurors, form=form,
        matrix=assignment_matrix(competition), conflicts=conflicts_of(competition),
        assign_form=AssignmentForm(), gaps=conflict_gaps(competition),
        conflict_form=_conflict_form(competition, jurors),
    )


def _conflict_form(competition, jurors) -> ConflictRecordForm:
    form = ConflictRecordForm()
    form.juror_id.choices = [(j.id, j.name) for j in jurors]
    form.entry_id.choices = [(e.id, f"{e.code} — {e.entrant.name}")
                             for e in competition_entries(competition)]
    return form


@bp.route("/competitions/<int:competition_id>/jury/conflicts", methods=["POST"])
@access("organizer")
def conflict_record(competition_id: int):
    """Record a conflict of interest for a juror, with a reason; audited."""
    competition = managed_competition(competition_id)
    form = _conflict_form(competition, jurors_of(competition))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("organizer.jury", competition_id=competition.id))

    def record():
        juror = require_juror(competition, form.juror_id.data)
        entry = next(e for e in competition_entries(competition) if e.id == form.entry_id.data)
        return juror, entry, record_conflict_for(current_user, juror, entry, form.reason.data)

    recorded = attempt(record)
    if recorded:
        juror, entry, declaration = recorded.value
        flash(_("Konflik %(juror)s dengan %(entry)s dicatat.", juror=juror.name,
                entry=entry.code), "success")
        if declaration.jurors_before is not None:
            flash(_("%(entry)s kini kekurangan satu juri; tugaskan pengganti.",
                    entry=entry.code), "warning")
    return redirect(url_for("organizer.jury", competition_id=competition.id))


@bp.route("/competitions/<int:competition_id>/conflicts/<int:declaration_id>/replace",
          methods=["POST"])
@access("organizer")
def conflict_replace(competition_id: int, declaration_id: int):
    """Assign a replacement juror to an entry a conflict left short."""
    competition = managed_competition(competition_id)
    replaced = attempt(lambda: replace_for_conflict(competition, declaration_id))
    if replaced:
        flash(_("%(name)s ditugaskan sebagai juri pengganti.", name=replaced.value.name),
              "success")
    back = "organizer.progress" if request.form.get("back") == "progress" else "organizer.jury"
    return redirect(url_for(back, competition_id=competition.id))


@bp.route("/competitions/<int:competition_id>/jury/add", methods=["POST"])
@access("organizer")
def juror_add(competition_id: int):
    """Add a juror (new or existing account) and show their invitation link."""
    competition = managed_competition(competition_id)
    form = JurorForm()
    form.categories.choices = _category_choices(competition)
    if form.validate_on_submit():
        chosen = [c for c in competition.categories if c.id in set(form.categories.data or [])]
        invited = attempt(lambda: add_juror(competition, form.email.data, form.name.data or "",
                                            chosen), commit=False)
        if invited:
            mail_invitation(invited.value, "juror", competition)
            return render_template(
                "organizer/invited.html", invited=invited.value, for_what=competition.name,
                back=url_for("organizer.jury", competition_id=competition.id), mailed=True)
    else:
        flash(_("Email wajib diisi."), "error")
    return redirect(url_for("organizer.jury", competition_id=competition.id))


@bp.route("/competitions/<int:competition_id>/jury/<int:user_id>/invite", methods=["POST"])
@access("organizer")
def juror_invite(competition_id: int, user_id: int):
    """A new invitation link for a juror who has not set a password yet."""
    competition = managed_competition(competition_id)
    back = url_for("organizer.jury", competition_id=competition.id)
    made = attempt(lambda: invitation_link(require_juror(competition, user_id), "juror",
                                           competition.id, competition.organisation),
                   commit=False)
    if not made:
        return redirect(back)
    invited = made.value
    if invited.no_link == "other_body":
        flash(_("Akun juri ini dibuat oleh penyelenggara lain; tautan hanya diberikan oleh "
                "penyelenggara yang membuatnya."), "info")
        return redirect(back)
    if invited.link is None:
        flash(_("Juri ini sudah punya kata sandi; minta ia masuk seperti biasa."), "info")
        return redirect(back)
    mail_invitation(invited, "juror", competition)
    return render_template("organizer/invited.html", invited=invited, back=back,
                           for_what=competition.name, mailed=True)


@bp.route("/competitions/<int:competition_id>/jury/assign", methods=["POST"])
@access("organizer")
def jury_assign(competition_id: int):
    """Save the juror × category grid (whole-category assignments)."""
    competition = managed_competition(competition_id)
    form = AssignmentForm()
    jurors = jurors_of(competition)
    wanted = set(request.form.getlist("pairs"))
    form.pairs.choices = options(
        [(f"{j.id}:{c.id}", "") for j in jurors for c in competition.categories])
    if form.validate_on_submit():
        for juror in jurors:
            for category in competition.categories:
                assign_category(juror, category, f"{juror.id}:{category.id}" in wanted)
        db.session.commit()
        flash(_("Penugasan juri disimpan."), "success")
    else:
        flash(_("Penugasan tidak disimpan: pilihan tidak valid."), "error")
    return redirect(url_for("organizer.jury", competition_id=competition.id))


@bp.route("/categories/<int:category_id>/jury", methods=["GET", "POST"])
@access("organizer")
def category_jury(category_id: int):
    """Pick specific entries for a juror, or assign the category automatically."""
    category = managed_category(category_id)
    competition = category.competition
    jurors = jurors_of(competition)
    entries = db.session.scalars(select(Entry).where(
        Entry.category_id == category.id, Entry.status != "withdrawn").order_by(Entry.code)).all()
    pick = EntryPickForm(prefix="pick")
    pick.juror_id.choices = options([(j.id, j.name) for j in jurors])
    pick.entries.choices = options([(e.id, e.code) for e in entries])
    auto = AutoAssignForm(prefix="auto")
    auto.pool.choices = options([(j.id, j.name) for j in jurors])
    if request.method == "POST":
        done = _pick(category, jurors, entries, pick) if "pick-juror_id" in request.form \
            else _auto(category, jurors, auto)
        if done:
            return redirect(url_for("organizer.category_jury", category_id=category.id))
    picked = {j.id: picked_entries(j, category) for j in jurors}
    return render_template("organizer/category_jury.html", category=category,
                           competition=competition, jurors=jurors, entries=entries,
                           pick=pick, auto=auto, picked=picked,
                           matrix=assignment_matrix(competition))


def _pick(category, jurors, entries, form) -> bool:
    if not form.validate_on_submit():
        flash(_("Pilihan tidak valid."), "error")
        return False
    juror = next(j for j in jurors if j.id == form.juror_id.data)
    chosen = [e for e in entries if e.id in set(form.entries.data or [])]
    return bool(attempt(lambda: assign_entries(juror, category, chosen),
                        _("Entri untuk %(name)s disimpan.", name=juror.name)))


def _auto(category, jurors, form) -> bool:
    if not form.validate_on_submit():
        flash(_("Pilihan tidak valid."), "error")
        return False
    pool = [j for j in jurors if j.id in set(form.pool.data or [])]
    assigned = attempt(lambda: auto_assign(category, pool, form.per_entry.data))
    if not assigned:
        return False
    plan = assigned.value
    loads = sorted(plan.loads.values())
    flash(_("Penugasan otomatis selesai: %(entries)d entri, beban juri %(low)d–%(high)d.",
            entries=len(plan.jurors_of), low=loads[0], high=loads[-1]), "success")
    return True
