"""Ranking pages for organizers: live or frozen rankings, special awards, Excel export."""

from __future__ import annotations

import functools

from flask import abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from judging.extensions import db
from judging.fields import form_int, int_or
from judging.i18n import interface_language, pick
from judging.jobs import enqueue
from judging.kept import kept
from judging.models import Category, Entry, SpecialAward
from judging.organizer.blueprint import bp
from judging.organizer.fragments import kept_fragment
from judging.organizer.loading import managed_category, managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access, can_manage_competition, require
from judging.refusals import in_language
from judging.results.awards import MAX_SPECIAL_LABEL, category_special_awards
from judging.results.cells import ranking_cells
from judging.results.charts import juror_chart, totals_chart
from judging.results.freeze import current_ranking, is_frozen_phase, ranking_lines, ranking_page
from judging.results.jobs import KIND as EXPORT_KIND
from judging.results.previous import previous_competition, previous_results
from judging.results.special import add_special_award, remove_special_award
from judging.results.whatif import (
    category_what_if,
    stability_note,
    trimmed_note,
    trimming_note,
)


class SpecialAwardForm(FlaskForm):
    entry_id = SelectField(_l("Entri"), coerce=form_int, validators=[DataRequired()])
    label = StringField(_l("Nama penghargaan"),
                        validators=[DataRequired(), Length(min=3, max=MAX_SPECIAL_LABEL)],
                        description=_l("Misalnya: Apresiasi Inovasi"))


class ExportForm(FlaskForm):
    category_id = HiddenField(validators=[Optional()])


class ActionForm(FlaskForm):
    """A bare CSRF-protected form for buttons."""


PER_PAGE = 50  # lines on the first screen; a province-wide category has 5,000


def _ranking_or_problem(category: Category):
    try:
        return current_ranking(category), None
    except ValueError as problem:
        return None, str(problem)


def _summary(category: Category) -> tuple:
    """(category, its awarded lines, how many lines, problem) for the overview."""
    try:
        return (category, *ranking_lines(category), None)
    except ValueError as problem:
        return category, None, 0, str(problem)


def _what_if_or_none(category: Category, result):
    """The what-if comparison when the live inputs rank at all (the page says why not)."""
    if result is None or not result.lines:
        return None
    try:
        return category_what_if(category)
    except ValueError:
        return None


@bp.route("/competitions/<int:competition_id>/rankings")
@access("organizer")
def rankings(competition_id: int):
    """Every category's ranking in brief, with the export of the whole competition."""
    competition = managed_competition(competition_id)
    summaries = [_summary(c) for c in competition.categories]
    return render_template("organizer/rankings.html", competition=competition,
                           summaries=summaries, export_form=ExportForm(),
                           frozen_phase=is_frozen_phase(competition))


@bp.route("/categories/<int:category_id>/ranking")
@access("organizer")
def ranking(category_id: int):
    """One page of a category's ranking: every component, flags and breakdowns; charts inline
    for a small category, on their own page for a large one."""
    category = managed_category(category_id)
    page = max(int_or(request.args.get("page"), 1), 1)
    try:
        result, count = ranking_page(category, page, PER_PAGE)
        problem = None
    except ValueError as error:
        result, count, problem = None, 0, str(error)
    specials = []
    if result is not None:  # the entry choices are the rows' (kept_options)
        specials = category_special_awards(category.id)
    inline_charts = result is not None and count <= PER_PAGE  # breakdowns inline as well
    context = _ranking_context(result, problem, charts=inline_charts)
    return render_template(
        "organizer/ranking.html", category=category, competition=category.competition,
        rows=ranking_cells(result, context["flag_label"]) if result else [],
        specials=specials, count=count, page=page,
        pages=max(1, -(-count // PER_PAGE)), inline_charts=inline_charts,
        inline_breakdowns=inline_charts, kept_rows=kept_rows, kept_options=kept_options,
        award_label_field=award_label_field,
        frozen_phase=is_frozen_phase(category.competition),
        **context,
        whatif=_what_if_or_none(category, result) if inline_charts else None,
        stability_note=stability_note, trimmed_note=trimmed_note,
        trim_note=trimming_note(category, chosen_only=True),
        previous=previous_results(result) if result else {},
        previous_competition=previous_competition(category.competition),
    )


@bp.route("/categories/<int:category_id>/ranking/entries/<int:entry_id>")
@access("organizer")
def ranking_entry(category_id: int, entry_id: int):
    """One line's breakdown, for a ranking too long to carry every breakdown on its pages."""
    category = managed_category(category_id)
    try:
        result, _count = ranking_lines(category, entry_id=entry_id)
        problem = None
    except ValueError as error:
        result, problem = None, str(error)
    if result is not None and not result.lines:
        abort(404)
    return render_template("organizer/ranking_entry.html", category=category,
                           competition=category.competition,
                           line=result.lines[0] if result else None,
                           comps=result.method.components if result else [],
                           **_ranking_context(result, problem, charts=False))


@bp.route("/categories/<int:category_id>/ranking/charts")
@access("organizer")
def ranking_charts(category_id: int):
    """The charts of a category's whole ranking, loaded only when asked for."""
    category = managed_category(category_id)
    result, problem = _ranking_or_problem(category)
    return render_template("organizer/ranking_charts.html", category=category,
                           competition=category.competition,
                           **_ranking_context(result, problem, charts=True))


@bp.route("/categories/<int:category_id>/ranking/whatif")
@access("organizer")
def ranking_whatif(category_id: int):
    """The what-if comparison of a category too large to show it beside its ranking."""
    category = managed_category(category_id)
    result, problem = _ranking_or_problem(category)
    return render_template("organizer/ranking_whatif.html", category=category,
                           competition=category.competition, ranking=result, problem=problem,
                           whatif=_what_if_or_none(category, result),
                           stability_note=stability_note, trimmed_note=trimmed_note)


def kept_rows(rows, blind, code_text, entries_url, details_text):
    """A page of ranking lines without breakdowns or last year's columns: kept with a kept
    live page's rows, else rendered once per process for the same cells (the line itself,
    only used by breakdowns, left out)."""
    words = (bool(blind), str(code_text), str(entries_url), str(details_text))
    rendered = getattr(rows, "rendered", None)
    if rendered is not None:
        found = rendered.get(("rows", words))
        if found is None:
            found = rendered[("rows", words)] = Markup(get_template_attribute(
                "organizer/_ranking_rows.html", "linked_rows")(rows, *words))
        return found
    return kept_fragment("organizer/_ranking_rows.html", "linked_rows",
                         tuple(row._replace(line=None) for row in rows), *words)


def kept_options(rows):
    """The special award's entry choices (one per line shown), rendered once for a kept live
    page's rows, else once per process for the same lines."""
    rendered = getattr(rows, "rendered", None)
    if rendered is not None and "options" in rendered:
        return rendered["options"]
    found = kept_fragment("organizer/_ranking_rows.html", "entry_options",
                          tuple((row.entry_id, f"{row.entry_code} · {row.name}") for row in rows))
    if rendered is not None:
        rendered["options"] = found
    return found


def award_label_field():
    """The special award's name field as a page shows it (no data, no errors: the forms'
    hidden token is written by the page), rendered once per language."""
    return kept("juara.ranking_award_label", interface_language(), lambda: Markup(
        get_template_attribute("macros.html", "field")(
            SpecialAwardForm(formdata=None, meta={"csrf": False}).label)), at_most=8)


def _ranking_context(result, problem, *, charts: bool) -> dict:
    labels = result.juror_labels(named=True) if result else {}
    return {
        "ranking": result, "problem": problem, "labels": labels,
        "flag_label": _flag_labels(result.method) if result else None,
        "bars": totals_chart(result) if result and charts else None,
        "strips": juror_chart(result, labels) if result and charts else None,
        "criteria": {c.key: c for c in result.criteria} if result else {},
        "subscore_labels": subscore_labels(result),
    }


def _flag_labels(method):
    """``flag_text`` for one page: each flag's label looked up once, not once a line."""
    return functools.cache(lambda key: flag_text(method, key))


def flag_text(method, key: str) -> str:
    """A flag's label, as the method declares it, in the interface language."""
    flag = method.flag(key)
    return in_language(flag.label, flag.label_en)


def subscore_labels(result) -> dict[str, str]:
    """Names for sub-score keys: the method's indicator headers, else its component labels."""
    if result is None:
        return {}
    method = result.method
    labels = {c.key: c.label for c in method.components}
    labels.update({i.key: i.header for i in method.indicators})
    labels.update(getattr(method, "subscore_labels", {}))
    return {key: pick(text) for key, text in labels.items()}


@bp.route("/categories/<int:category_id>/special-awards", methods=["POST"])
@access("organizer")
def special_award_add(category_id: int):
    """Give a named entry of the category a special award."""
    category = managed_category(category_id)
    form = SpecialAwardForm()
    form.entry_id.choices = [(e.id, e.code) for e in db.session.scalars(
        db.select(Entry).where(Entry.category_id == category.id))]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("organizer.ranking", category_id=category.id))
    entry = db.session.get(Entry, form.entry_id.data)
    attempt(lambda: add_special_award(entry, form.label.data, actor_id=current_user.id),
            _("Penghargaan khusus ditambahkan."))
    return redirect(url_for("organizer.ranking", category_id=category.id))


@bp.route("/special-awards/<int:award_id>/delete", methods=["POST"])
@access("organizer")
def special_award_delete(award_id: int):
    """Take a special award back."""
    award = db.session.get(SpecialAward, award_id) or abort(404)
    category = award.entry.category
    require(can_manage_competition(current_user, category.competition))
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: remove_special_award(award), _("Penghargaan khusus dihapus."))
    return redirect(url_for("organizer.ranking", category_id=category.id))


@bp.route("/competitions/<int:competition_id>/export", methods=["POST"])
@access("organizer")
def ranking_export(competition_id: int):
    """Start the ranking workbook job (whole competition or one category); show progress."""
    competition = managed_competition(competition_id)
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    category = None
    if form.category_id.data:
        category_id = int_or(form.category_id.data)
        if category_id is None:
            abort(400)
        category = db.session.get(Category, category_id)
        if category is None or category.competition_id != competition.id:
            abort(404)
    back = (url_for("organizer.ranking", category_id=category.id) if category
            else url_for("organizer.rankings", competition_id=competition.id))
    title = _("Ekspor peringkat %(name)s", name=category.name if category else competition.name)
    job = enqueue(EXPORT_KIND, params={
        "competition_id": competition.id, "category_id": category.id if category else None,
        "title": title, "back_url": back, "locale": interface_language(),
    }, competition_id=competition.id, user_id=current_user.id)
    return redirect(url_for("organizer.job", job_id=job.id))
