"""Progress dashboard and audit log of a competition."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from judging.competitions.audit_text import action_choices, describe
from judging.competitions.auditlog import audit_page
from judging.fields import int_or
from judging.marking.conflicts import conflict_gaps
from judging.marking.progress import STATUSES, bar_chart, competition_progress
from judging.organizer.blueprint import bp
from judging.organizer.forms import AuditFilterForm, options
from judging.organizer.fragments import kept_fragment
from judging.organizer.loading import managed_competition, managed_competition_line
from judging.permissions import access, can_manage_organisation


@bp.route("/competitions/<int:competition_id>/progress")
@access("organizer")
def progress(competition_id: int):
    """Entries by status, juror completion, missing marks and disagreements."""
    competition = managed_competition_line(competition_id)
    data = competition_progress(competition)
    status_bars = bar_chart([
        (c.name, [(f"bar-{s}", data.status_counts[c.id][s]) for s in STATUSES])
        for c in data.categories
    ])
    juror_bars = bar_chart([
        (j.juror.name, [("bar-submitted", j.submitted), ("bar-draft", j.assigned - j.submitted)])
        for j in data.jurors
    ])
    return render_template("organizer/progress.html", competition=competition, data=data,
                           nav=_kept_nav(competition),
                           status_bars=status_bars, juror_bars=juror_bars, statuses=STATUSES,
                           gaps=conflict_gaps(competition) if data.conflicts else [],
                           **_table_cells(data))


def _table_cells(data) -> dict:
    """The tables' bodies, each drawn once per process for the same rows: a province's
    dashboard lists thousands of flagged entries."""
    jurors = tuple((j.juror.name, j.submitted, j.assigned) for j in data.jurors)
    names = tuple((c.id, c.name) for c in data.categories)
    return {
        "kept_chart": _kept_chart,
        "juror_body": kept_fragment("organizer/_progress_rows.html", "juror_rows", jurors),
        "short_body": kept_fragment("organizer/_progress_rows.html", "short_rows",
                                    tuple(data.short_rows), names),
        "disagreement_body": kept_fragment(
            "organizer/_progress_rows.html", "disagreement_rows",
            tuple((f.entry.code, f.spread, "; ".join(f"{n}: {s}" for n, s in f.scores.items()))
                  for f in data.disagreements)),
    }


def _kept_nav(competition):
    """The competition's crumbs and tabs, drawn once per process for the same competition,
    body permission, language and script root."""
    manages = can_manage_organisation(current_user, competition.organisation_id)
    return kept_fragment("organizer/_macros.html", "competition_nav", competition,
                         "organizer.progress", manages,
                         depends=(str(get_locale()), request.script_root))


def _kept_chart(bars, legend, chart_id: str):
    """A bar chart drawn once per process for the same bars and legend."""
    return kept_fragment("organizer/_chart.html", "bar_chart", tuple(bars),
                         tuple((css, str(label)) for css, label in legend), chart_id)


@bp.route("/competitions/<int:competition_id>/audit")
@access("organizer")
def audit(competition_id: int):
    """The competition's audit log, filtered by action, actor and dates, 50 a page."""
    competition = managed_competition(competition_id)
    form = AuditFilterForm(request.args)
    first = audit_page(competition, per_page=1)
    form.action.choices = options([("", _("Semua aksi"))] + action_choices(first.actions))
    form.actor.choices = options(
        [("", _("Semua pelaku"))] + [(str(i), n) for i, n in first.actors])
    valid = form.validate()
    actor = int_or(form.actor.data) if valid else None
    page = audit_page(
        competition,
        action=form.action.data if valid else "",
        actor_id=actor,
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
        page=max(1, min(int_or(request.args.get("page"), 1), 1_000_000)),
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("organizer/audit.html", competition=competition, form=form,
                           page=page, rows=describe(page.events, competition.timezone), args=args)
