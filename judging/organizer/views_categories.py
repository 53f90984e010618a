"""Category pages: create, settings (weights, thresholds), rubric, entries and enrolment."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from judging.competitions.categories import (
    add_category,
    check_unique,
    save_criteria,
    update_category,
)
from judging.competitions.entrants import LEVEL_LABELS, enrol
from judging.competitions.transitions import category_problems
from judging.extensions import db
from judging.fields import int_or
from judging.models import Entrant, Entry
from judging.organizer.blueprint import bp
from judging.organizer.forms import (
    AGGREGATION_LABELS,
    EnrolForm,
    NewCategoryForm,
    RubricForm,
    category_form_class,
    options,
)
from judging.organizer.loading import managed_category, managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access
from judging.phases import rubric_locked, settings_locked
from judging.plugin_setup import methods
from judging.refusals import Refused
from judging.results.whatif import trimming_note


@bp.route("/competitions/<int:competition_id>/categories/new", methods=["GET", "POST"])
@access("organizer")
def category_new(competition_id: int):
    """Add a category; its rubric and weights start from the chosen method."""
    competition = managed_competition(competition_id)
    form = NewCategoryForm()
    form.method_key.choices = options(methods().choices(str(get_locale())))
    if form.validate_on_submit():
        created = attempt(lambda: add_category(
            competition, name=form.name.data.strip(), code=form.code.data.strip().upper(),
            method_key=form.method_key.data, level=form.level.data, places=form.places.data),
            _("Kategori dibuat dengan bobot dan rubrik bawaan metode. Periksa pengaturannya."))
        if created:
            return redirect(url_for("organizer.category_edit", category_id=created.value.id))
    return render_template("organizer/category_new.html", form=form, competition=competition)


@bp.route("/categories/<int:category_id>")
@access("organizer")
def category(category_id: int):
    """A category: settings, rubric, entries, and entrants to enrol."""
    category = managed_category(category_id)
    competition = category.competition
    entries = list(db.session.scalars(
        select(Entry).where(Entry.category_id == category.id).order_by(Entry.code)))
    enrolled = {e.entrant_id for e in entries}
    show_all = request.args.get("all") == "1"
    query = select(Entrant).where(Entrant.organisation_id == competition.organisation_id)
    if not show_all:
        query = query.where(Entrant.level == category.level)
    candidates = [e for e in db.session.scalars(query.order_by(Entrant.code))
                  if e.id not in enrolled]
    form = EnrolForm()
    form.entrants.choices = options([(e.id, f"{e.code} — {e.name}") for e in candidates])
    method = methods().methods.get(category.method_key)
    return render_template(
        "organizer/category.html", category=category, competition=competition, entries=entries,
        form=form, show_all=show_all, method=method, problems=category_problems(category),
        levels=LEVEL_LABELS, aggregations=AGGREGATION_LABELS,
        rubric_locked=rubric_locked(competition),
    )


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@access("organizer")
def category_edit(category_id: int):
    """Edit a category's settings: weights must total 100, thresholds per method."""
    category = managed_category(category_id)
    method = methods().get(category.method_key)
    form_class = category_form_class(method)
    form = form_class(obj=category)
    if not form.is_submitted():
        for component in method.components:
            value = (category.weights or {}).get(component.key, component.weight)
            getattr(form, f"weight_{component.key}").data = Decimal(str(value))
        for name, default in method.default_thresholds.items():
            value = (category.thresholds or {}).get(name, default)
            getattr(form, f"threshold_{name}").data = Decimal(str(value))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "level", "places", "aggregation", "normalise", "blind", "share_comments",
            "required_marks", "disagreement_threshold")}
        values["name"], values["code"] = form.name.data.strip(), form.code.data.strip().upper()
        values["description"] = form.description.data or None
        values["weights"] = {c.key: float(getattr(form, f"weight_{c.key}").data)
                             for c in method.components}
        values["thresholds"] = {n: float(getattr(form, f"threshold_{n}").data)
                                for n in method.default_thresholds}
        def save() -> None:
            check_unique(category.competition_id, values["name"], values["code"], category.id)
            update_category(category, values)

        if attempt(save, _("Pengaturan kategori disimpan.")):
            return redirect(url_for("organizer.category", category_id=category.id))
    return render_template("organizer/category_edit.html", form=form, category=category,
                           method=method, competition=category.competition,
                           trim_note=trimming_note(category),
                           locked=settings_locked(category.competition))


@bp.route("/categories/<int:category_id>/criteria", methods=["GET", "POST"])
@access("organizer")
def category_rubric(category_id: int):
    """Edit the rubric (label, guidance, weight, max); locked once judging starts."""
    category = managed_category(category_id)
    locked = rubric_locked(category.competition)
    form = RubricForm()
    if not form.is_submitted():
        for criterion in category.criteria:
            form.rows.append_entry({"id": str(criterion.id), "label": criterion.label,
                                    "guidance": criterion.guidance, "weight": criterion.weight,
                                    "max_mark": criterion.max_mark})
    elif form.validate_on_submit():
        if request.form.get("action") == "add" and not locked:
            form.rows.append_entry({"max_mark": Decimal("100"), "weight": Decimal("10")})
        elif attempt(lambda: save_criteria(category, _rubric_rows(form)), _("Rubrik disimpan.")):
            return redirect(url_for("organizer.category", category_id=category.id))
    return render_template("organizer/category_rubric.html", form=form, category=category,
                           competition=category.competition, locked=locked)


def _rubric_rows(form: RubricForm) -> list[dict]:
    rows = []
    for row in form.rows:
        data = row.form
        blank_new = not data.id.data and not (data.label.data or "").strip()
        if data.remove.data or blank_new:
            continue
        if data.weight.data is None or data.max_mark.data is None:
            raise Refused(f"Kriteria '{data.label.data}': bobot dan nilai maksimum wajib angka.",
                          f"Criterion '{data.label.data}': weight and max mark must be numbers.")
        rows.append({"id": int_or(data.id.data),
                     "label": data.label.data or "", "guidance": data.guidance.data or "",
                     "weight": data.weight.data, "max_mark": data.max_mark.data})
    return rows


@bp.route("/categories/<int:category_id>/enrol", methods=["POST"])
@access("organizer")
def category_enrol(category_id: int):
    """Enrol chosen entrants as draft entries, or nominate them as submitted entries."""
    category = managed_category(category_id)
    form = EnrolForm()
    ids = [i for i in map(int_or, request.form.getlist("entrants")) if i is not None and i > 0]
    entrants = list(db.session.scalars(select(Entrant).where(Entrant.id.in_(ids)))) if ids else []
    form.entrants.choices = options([(e.id, e.code) for e in entrants])
    if not form.validate_on_submit() or not entrants:
        flash(_("Pilih minimal satu peserta."), "error")
    else:
        created = attempt(lambda: enrol(category, entrants, nominate=form.nominate.data))
        if created:
            flash(_("%(n)d peserta dinominasikan (entri terkirim).", n=len(created.value))
                  if form.nominate.data else _("%(n)d peserta didaftarkan.", n=len(created.value)),
                  "success")
    return redirect(url_for("organizer.category", category_id=category.id))
