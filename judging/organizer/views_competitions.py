"""Competition pages: create, edit, copy, and the phase with its next step."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from judging.competitions import transitions as phases
from judging.competitions.attention import overview
from judging.competitions.editing import (
    copy_competition,
    create_competition,
    organisations_for,
    to_local,
    to_utc,
    update_competition,
)
from judging.competitions.final_job import start_final
from judging.extensions import db
from judging.i18n import label
from judging.models import Assignment, Entry
from judging.models.competition import DEFAULT_AWARD_LABELS
from judging.organizer.blueprint import bp
from judging.organizer.forms import CompetitionForm, CopyForm, PhaseForm, options
from judging.organizer.loading import managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access, can_manage_organisation, organiser_ids, require
from judging.phases import ALLOWS, BACKWARD, FORWARD, rubric_locked


def form_values(form: CompetitionForm) -> dict:
    """Form data as model values; local times become UTC."""
    tz = form.timezone.data
    labels = [line.strip() for line in form.award_labels.data.splitlines() if line.strip()]
    return {
        "name": form.name.data.strip(), "year": form.year.data, "code": form.code.data.strip(),
        "timezone": tz, "grace_minutes": form.grace_minutes.data, "award_labels": labels,
        "submission_deadline": to_utc(form.submission_deadline.data, tz),
        "judging_starts": to_utc(form.judging_starts.data, tz),
        "judging_ends": to_utc(form.judging_ends.data, tz),
        "show_rank_rise": bool(form.show_rank_rise.data),
    }


@bp.route("/competitions/new", methods=["GET", "POST"])
@access("organizer")
def competition_new():
    """Create a competition for one of the user's organising bodies."""
    bodies = organisations_for(current_user, organiser_ids(current_user))
    require(bool(bodies))
    form = CompetitionForm(award_labels="\n".join(DEFAULT_AWARD_LABELS))
    form.organisation_id.choices = options([(b.id, b.name) for b in bodies])
    if form.validate_on_submit():
        require(can_manage_organisation(current_user, form.organisation_id.data))
        created = attempt(lambda: create_competition(form.organisation_id.data,
                                                     form_values(form)),
                          _("Kompetisi dibuat. Tambahkan kategori."))
        if created:
            return redirect(url_for("organizer.competition", competition_id=created.value.id))
    return render_template("organizer/competition_form.html", form=form, competition=None)


@bp.route("/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@access("organizer")
def competition_edit(competition_id: int):
    """Edit a competition's name, dates, zone and award labels."""
    competition = managed_competition(competition_id)
    form = CompetitionForm(obj=competition)
    form.organisation_id.choices = options(
        [(competition.organisation_id, competition.organisation.name)])
    form.organisation_id.data = competition.organisation_id
    if not form.is_submitted():
        form.award_labels.data = "\n".join(competition.award_labels or [])
        for name in ("submission_deadline", "judging_starts", "judging_ends"):
            getattr(form, name).data = to_local(getattr(competition, name), competition.timezone)
    if form.validate_on_submit():
        if attempt(lambda: update_competition(competition, form_values(form)),
                   _("Perubahan disimpan.")):
            return redirect(url_for("organizer.competition", competition_id=competition.id))
    return render_template("organizer/competition_form.html", form=form, competition=competition)


@bp.route("/competitions/<int:competition_id>")
@access("organizer")
def competition(competition_id: int):
    """The competition: its phase, what it allows, what is missing, its categories."""
    competition = managed_competition(competition_id)
    following = FORWARD.get(competition.phase)
    previous = BACKWARD.get(competition.phase)
    ids = [c.id for c in competition.categories]
    entry_counts = dict(db.session.execute(
        select(Entry.category_id, func.count()).where(Entry.category_id.in_(ids))
        .group_by(Entry.category_id)).all()) if ids else {}
    juror_counts = dict(db.session.execute(
        select(Assignment.category_id, func.count(func.distinct(Assignment.juror_id)))
        .where(Assignment.category_id.in_(ids)).group_by(Assignment.category_id)).all()
    ) if ids else {}
    return render_template(
        "organizer/competition.html", competition=competition, allows=ALLOWS,
        following=following, previous=previous,
        readiness=phases.readiness(competition, following) if following else None,
        phase_form=PhaseForm(), entry_counts=entry_counts, juror_counts=juror_counts,
        can_copy=can_manage_organisation(current_user, competition.organisation_id),
        rubric_locked=rubric_locked(competition),
        overview=overview(competition),
    )


@bp.route("/competitions/<int:competition_id>/phase", methods=["POST"])
@access("organizer")
def competition_phase(competition_id: int):
    """Move the competition one phase forward, or back with a reason."""
    competition = managed_competition(competition_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        abort(400)
    target = form.target.data
    if target == "final" and competition.phase == "moderation":  # freezing runs as a job
        if attempt(lambda: phases.may_change(competition, target,
                                             override=form.override.data or ""), commit=False):
            job = start_final(
                competition, reason=form.reason.data or "", override=form.override.data or "",
                user_id=current_user.id,
                title=_("Membekukan hasil %(name)s", name=competition.name),
                back_url=url_for("organizer.competition", competition_id=competition.id))
            return redirect(url_for("organizer.job", job_id=job.id))
        return redirect(url_for("organizer.competition", competition_id=competition.id))
    try:
        changed = attempt(lambda: phases.change_phase(competition, target,
                                                      reason=form.reason.data or "",
                                                      override=form.override.data or ""))
    except ValueError as failure:  # the results hook refused (e.g. impossible settings)
        db.session.rollback()
        flash(_("Tahap tidak diubah: %(reason)s", reason=str(failure)), "error")
    else:
        if changed:
            flash(_("Tahap sekarang: %(phase)s", phase=label("phase", target)), "success")
            for warning in changed.value.warnings:
                flash(str(warning), "warning")
    return redirect(url_for("organizer.competition", competition_id=competition.id))


@bp.route("/competitions/<int:competition_id>/copy", methods=["GET", "POST"])
@access("organizer")
def competition_copy(competition_id: int):
    """Start a new year from this competition (settings, rubrics, jury; no entries)."""
    source = managed_competition(competition_id)
    require(can_manage_organisation(current_user, source.organisation_id))
    form = CopyForm(name=source.name, year=source.year + 1,
                    code=_next_code(source.code, source.year))
    if form.validate_on_submit():
        copied = attempt(lambda: copy_competition(source, name=form.name.data.strip(),
                                                  year=form.year.data,
                                                  code=form.code.data.strip()),
                         _("Salinan dibuat sebagai draf. Atur batas waktu sebelum membuka "
                           "pendaftaran."))
        if copied:
            return redirect(url_for("organizer.competition", competition_id=copied.value.id))
    return render_template("organizer/competition_copy.html", form=form, source=source)


def _next_code(code: str, year: int) -> str:
    return code.replace(str(year), str(year + 1)) if str(year) in code else code

