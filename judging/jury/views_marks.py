"""Juror pages: assignments per competition, an entry with its scoring form, conflicts."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from judging.evidence import INLINE_KINDS
from judging.extensions import db
from judging.i18n import decimal, interface_language, number
from judging.jury.blueprint import bp
from judging.jury.entry_words import page_words
from judging.jury.forms import ConflictForm, form_from_state, read_form, refresh_versions
from judging.jury.rubric_view import monev_row, rubric_for
from judging.marking import assignments, scores
from judging.marking.conflicts import declare_conflict
from judging.marking.marks import (
    InvalidMarks,
    NotAllowed,
    StaleWrite,
    WriteRefused,
    judge_problem,
    load_sheet,
    save_sheet,
    sheet_status,
    window_problem,
)
from judging.marking.scoring_entry import (
    Neighbours,
    ScoringEntry,
    ScoringPage,
    monev_values,
    neighbours,
    scoring_page,
    with_evidence,
)
from judging.marking.sheet_read import sheet_entry
from judging.models import Competition, Entry
from judging.pages.outcome import commit_plain
from judging.pages.words import moment_text
from judging.permissions import access, is_juror_in, require
from judging.request_connection import rollback
from judging.urls import path_for

EVIDENCE_ENDPOINT = "downloads.evidence_download"
# What the entry page says after a save. The redirect names a key, never a message: nothing
# typed into the address is shown, and the notice costs no session write (no re-signed cookie).
SAVED = {
    "submitted": ("success", _l("Penilaian terkirim.")),
    "withdrawn": ("warning",
                  _l("Penilaian ditarik kembali ke draf; tidak dihitung sampai dikirim lagi.")),
    "draft": ("success", _l("Draf tersimpan.")),
}
SAVED_KEY = {"submit": "submitted", "withdraw": "withdrawn"}


@bp.route("/competition/<int:competition_id>")
@access("juror")
def competition(competition_id: int):
    """The juror's entries in one competition, with status and what is left."""
    comp = db.get_or_404(Competition, competition_id)
    require(is_juror_in(current_user, comp))
    rows = assignments.entry_rows(current_user.id, comp.id)
    left = sum(1 for r in rows if r.status != "submitted")
    return render_template(
        "jury/competition.html", competition=comp, rows=rows, left=left,
        conflicts=assignments.conflicts_of(current_user.id, comp.id),
    )


def _judged_entry(entry_id: int) -> Entry:
    """The entry (the ORM entity) the juror may judge, or 404/403."""
    entry = assignments.entry_for_scoring(entry_id)
    if entry is None:
        abort(404)
    problem = judge_problem(current_user, entry)
    if problem:
        abort(403, description=str(problem))
    return entry


@bp.route("/entry/<int:entry_id>")
@access("juror")
def entry(entry_id: int):
    """One entry: evidence, monev figures and the scoring form (one statement)."""
    page = scoring_page(entry_id, current_user.id)
    if page is None:
        abort(404)
    problem = judge_problem(current_user, page.entry)
    if problem:
        abort(403, description=str(problem))
    form = form_from_state(page.entry.category.criteria, page.sheet, page.marks)
    return _render_entry(page.entry, form, page.sheet, page.marks, page=page,
                         notice=SAVED.get(request.args.get("saved", "")))


@bp.route("/entry/<int:entry_id>/score", methods=["POST"])
@access("juror")
def score(entry_id: int):
    """Save a draft or submit the sheet; refuses stale, out-of-range or out-of-window writes."""
    found = sheet_entry(entry_id, current_user.id)  # evidence: read if a refusal shows the page
    if found is None:
        abort(404)
    item = found.entry
    problem = judge_problem(current_user, item)
    if problem:
        abort(403, description=str(problem))
    criteria = item.category.criteria
    form, data = read_form(request.form, criteria)  # CSRF: checked app-wide (CSRFProtect)
    if data is None:
        sheet, marks = load_sheet(current_user.id, item.id)
        return _render_entry(item, form, sheet, marks, notice=(
            "error", _("Ada nilai yang tidak sah. Tidak ada yang disimpan."))), 400
    if data.action == "withdraw" and not form.confirm_withdraw:
        sheet, marks = load_sheet(current_user.id, item.id)
        return _render_entry(item, form, sheet, marks, notice=("error", _(
            "Centang konfirmasi untuk menarik kembali penilaian. Tidak ada yang diubah."))), 400
    juror = current_user._get_current_object()  # one proxy lookup for the whole save
    try:
        save_sheet(juror, item, data, actor=juror, state=(found.sheet, found.marks))
        commit_plain()  # the save wrote plain statements: no unit of work to flush
    except NotAllowed as refused:
        rollback(db)
        abort(403, description=str(refused))
    except InvalidMarks as refused:
        rollback(db)
        for criterion_id, message in refused.errors.items():
            if criterion_id is not None:
                form.row(criterion_id).errors = [str(message)]
        sheet, marks = load_sheet(current_user.id, item.id)
        return _render_entry(item, form, sheet, marks, notice=("error", str(refused))), 400
    except StaleWrite as refused:
        rollback(db)
        sheet, marks = load_sheet(current_user.id, item.id)
        refresh_versions(form, sheet, marks)
        return _render_entry(item, form, sheet, marks, stale=refused), 409
    return redirect(_saved_url(entry_id, SAVED_KEY.get(data.action, "draft")))


def _saved_url(entry_id: int, saved: str) -> str:
    """The entry page's address after a save; ``saved`` is one of ``SAVED``'s fixed keys."""
    return f"{path_for('jury.entry', entry_id=entry_id)}?saved={saved}"


def _render_entry(item: ScoringEntry, form, sheet, marks, stale: WriteRefused | None = None,
                  page: ScoringPage | None = None, notice: tuple | None = None):
    """The scoring page; ``page`` brings the lists a GET read, a refused save reads them here.

    ``notice`` (category, message) is shown as the flashed messages are.
    """
    if page is None:
        item = with_evidence(item)
        values = monev_values(item.id)
        around = neighbours(current_user.id, item.id, item.category.competition_id)
    else:
        values, around = page.monev, page.around
    category = item.category
    criteria = category.criteria
    competition = category.competition
    lang = interface_language()
    rubric = rubric_for(category.method_key, criteria, lang)
    words = page_words(lang)
    status = sheet_status(sheet, marks)
    write_problem = window_problem(item, sheet)
    score = scores.juror_score(criteria, {k: m.value for k, m in marks.items()}, rubric.scored)
    return render_template(
        "jury/entry.html", entry=item, competition=competition, category=category,
        name=assignments.display_name(item), form=form, sheet=sheet, w=words,
        fieldsets=rubric.fieldsets(form.rows, write_problem is not None), stale=stale,
        status=status, status_label=getattr(words, f"status_{status}"),
        score=decimal(score, lang),
        deadline=competition.judging_ends and moment_text(competition.judging_ends,
                                                          competition.timezone, lang),
        write_problem=write_problem, evidence=_evidence(item),
        monev=_monev(rubric.indicators, values), around=around,
        position=around and words.position % {"n": around.position, "total": around.total},
        links=_links(item, around), notice=notice,
    )


def _links(item: ScoringEntry, around: Neighbours | None) -> SimpleNamespace:
    """The page's links, built here from route patterns (``urls.path_for``)."""
    links = SimpleNamespace(
        competition=path_for("jury.competition", competition_id=item.category.competition_id),
        score=path_for("jury.score", entry_id=item.id),
        conflict=path_for("jury.conflict", entry_id=item.id))
    if around:
        for name in ("previous", "next", "next_unfinished"):
            other = getattr(around, name)
            setattr(links, name, path_for("jury.entry", entry_id=other) if other else None)
    return links


def _evidence(item: ScoringEntry) -> list[tuple]:
    """(label, url or None, kind) per evidence item; files link to the shared download route.

    PDFs and images open in the browser (``inline=1``); other kinds download.
    """
    if not item.evidence:
        return []
    endpoint = EVIDENCE_ENDPOINT if EVIDENCE_ENDPOINT in current_app.view_functions else None
    blind = item.category.blind
    rows = []
    for ev in item.evidence:
        if ev.kind == "link":
            rows.append((ev.label or ev.url, ev.url, "link"))
            continue
        label = ev.label or ("" if blind else ev.original_name) or _("Berkas %(n)s", n=ev.id)
        inline = {"inline": 1} if ev.file_kind in INLINE_KINDS else {}
        url = url_for(endpoint, evidence_id=ev.id, **inline) if endpoint else None
        rows.append((label, url, ev.file_kind or "file"))
    return rows


def _monev(indicators, values: dict) -> Markup:
    """The monev table's rows: each indicator the method declares, in its order, with its value.

    The rows' headers and units come escaped once per rubric and language; only the values
    are written here.
    """
    if not values:
        return Markup("")
    if indicators is None:  # the method is not installed: the stored keys as they are
        rows = [(*monev_row(key, ""), value) for key, value in sorted(values.items())]
    else:
        rows = [(start, end, values[key]) for key, start, end in indicators if key in values]
    return Markup("".join(f"{start}{escape(number(value))}{end}" for start, end, value in rows))


@bp.route("/entry/<int:entry_id>/conflict", methods=["GET", "POST"])
@access("juror")
def conflict(entry_id: int):
    """Declare a conflict of interest; the entry then leaves the juror's list."""
    item = _judged_entry(entry_id)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            declare_conflict(current_user, item, form.reason.data)
            db.session.commit()
        except NotAllowed as refused:
            db.session.rollback()
            abort(403, description=str(refused))
        flash(_("Konflik kepentingan tercatat; entri ini tidak lagi ada di daftar Anda."),
              "success")
        return redirect(url_for("jury.competition", competition_id=item.category.competition_id))
    status = 400 if form.is_submitted() else 200
    return render_template("jury/conflict.html", entry=item, name=assignments.display_name(item),
                           form=form, competition=item.category.competition), status
