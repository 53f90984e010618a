"""Participant pages: their entries, filling them, evidence, submitting and withdrawing."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from judging.entries import editing as services
from judging.entries.links import LinkRefused
from judging.extensions import csrf, db
from judging.i18n import filesize, interface_language, localtime, pick
from judging.io.files.check import LABELS, FileRefused
from judging.io.files.names import display_name
from judging.models import Entry
from judging.pages.words import moment_text
from judging.participant.blueprint import bp
from judging.participant.deadline import time_left_text
from judging.participant.entry_words import page_words
from judging.participant.forms import (
    FIELD_PREFIX,
    LinkForm,
    details_fields,
    details_form,
    fields_of,
    social_links_of,
)
from judging.participant.loading import entry_page_or_404, own_entry_or_404, own_evidence_or_404
from judging.participant.uploads import parsed_upload, wants_json
from judging.permissions import access
from judging.refusals import Refused
from judging.results.own import published_result, result_summaries
from judging.results.previous import entry_previous
from judging.security import form_token
from judging.urls import path_for


@bp.route("/")
@access("participant")
def home():
    """The entries of the entrants this participant acts for."""
    entries = services.own_entries(current_user)
    return render_template("participant/home.html", entries=entries,
                           lock_reason=services.lock_reason, time_left_text=time_left_text,
                           result_lines=result_summaries(entries))


@bp.route("/entries/<int:entry_id>")
@access("participant")
def entry(entry_id: int):
    """One entry: its fields, evidence slots, quota and submission state."""
    return render_entry(entry_page_or_404(current_user, entry_id))


@bp.route("/entries/<int:entry_id>", methods=["POST"])
@access("participant")
def save_entry(entry_id: int):
    """Save the description, category answers and account links."""
    entry = own_entry_or_404(current_user, entry_id, for_update=True)
    rules = services.entry_rules(entry)
    form = details_form(rules)
    if not form.validate():
        return render_entry(entry, form=form, status=400)
    try:
        links = social_links_of(form)
        services.save_details(entry, description=(form.description.data or "").strip(),
                              fields=fields_of(form, rules), social_links=links)
        db.session.commit()
    except LinkRefused:
        return render_entry(entry, form=form, status=400)
    except Refused as exc:
        return refused(entry, exc)
    flash(_("Isian entri disimpan."), "success")
    return redirect(url_for("participant.entry", entry_id=entry.id), 303)


@bp.route("/entries/<int:entry_id>/evidence", methods=["POST"])
@csrf.exempt  # the token is checked on the streamed form in parsed_upload
@access("participant")
def upload_evidence(entry_id: int):
    """Upload one or more files; each is checked, counted and stored on its own."""
    entry = own_entry_or_404(current_user, entry_id)
    rules = services.entry_rules(entry)
    db.session.rollback()  # hold no database lock while a slow upload streams in
    saved, errors = [], []
    with parsed_upload(rules.max_file_bytes) as upload:
        requirement = upload.form.get("requirement") or None
        entry = own_entry_or_404(current_user, entry_id, for_update=True)
        slots = services.entry_slots(entry, rules)
        parts = upload.uploads()
        if not parts:
            errors.append(_("Pilih berkas yang akan diunggah."))
        for name, stream in parts:
            try:
                evidence = services.add_file(entry, stream, name, requirement=requirement,
                                             rules=rules, slots=slots, user=current_user)
                db.session.commit()
                saved.append(evidence.original_name)
            except (FileRefused, Refused) as exc:
                errors.append(f"{display_name(name)}: {pick(exc)}")
    return upload_answer(entry, saved, errors)


@bp.route("/entries/<int:entry_id>/links", methods=["POST"])
@access("participant")
def add_link(entry_id: int):
    """Attach a web link as evidence."""
    entry = own_entry_or_404(current_user, entry_id, for_update=True)
    rules = services.entry_rules(entry)
    form = LinkForm()
    if not form.validate():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
        return redirect(url_for("participant.entry", entry_id=entry.id, _anchor="bukti"), 303)
    try:
        services.add_link(entry, form.url.data, label=(form.label.data or "").strip(),
                          requirement=form.requirement.data or None, rules=rules,
                          slots=services.entry_slots(entry, rules), user=current_user)
        db.session.commit()
    except Refused as exc:
        return refused(entry, exc)
    flash(_("Tautan ditambahkan."), "success")
    return redirect(url_for("participant.entry", entry_id=entry.id, _anchor="bukti"), 303)


@bp.route("/entries/<int:entry_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@access("participant")
def delete_evidence(entry_id: int, evidence_id: int):
    """Remove one piece of evidence before the entry is closed."""
    entry = own_entry_or_404(current_user, entry_id, for_update=True)
    evidence = own_evidence_or_404(entry, evidence_id)
    try:
        key = services.remove_evidence(entry, evidence)
    except Refused as exc:
        return refused(entry, exc)
    db.session.commit()
    services.drop_unreferenced(key)
    flash(_("Bukti dihapus."), "success")
    return redirect(url_for("participant.entry", entry_id=entry.id, _anchor="bukti"), 303)


@bp.route("/entries/<int:entry_id>/submit", methods=["POST"])
@access("participant")
def submit_entry(entry_id: int):
    """Submit the entry (again, after edits) before the deadline."""
    entry = own_entry_or_404(current_user, entry_id, for_update=True)
    rules = services.entry_rules(entry)
    again = entry.status == "submitted"
    try:
        services.submit(entry, rules, services.entry_slots(entry, rules))
    except Refused as exc:
        return refused(entry, exc)
    db.session.commit()
    flash(_("Entri dikirim ulang.") if again else _("Entri berhasil dikirim."), "success")
    return redirect(url_for("participant.entry", entry_id=entry.id), 303)


@bp.route("/entries/<int:entry_id>/withdraw", methods=["POST"])
@access("participant")
def withdraw_entry(entry_id: int):
    """Withdraw a submitted entry before the deadline."""
    entry = own_entry_or_404(current_user, entry_id, for_update=True)
    try:
        services.withdraw(entry)
    except Refused as exc:
        return refused(entry, exc)
    db.session.commit()
    flash(_("Entri ditarik. Anda dapat mengirimnya lagi sebelum batas waktu."), "success")
    return redirect(url_for("participant.entry", entry_id=entry.id), 303)


# -- responses -----------------------------------------------------------------------

def render_entry(entry: Entry, *, form=None, status: int = 200):
    """The entry page with everything the template shows (no logic in the template)."""
    rules = services.entry_rules(entry)
    slots = services.entry_slots(entry, rules)
    values = {"description": entry.description,
              "social_links": "\n".join(entry.social_links or [])}
    values |= {FIELD_PREFIX + k: v for k, v in (entry.fields or {}).items()}
    competition = entry.category.competition
    by_slot: dict[str | None, list] = {}
    for evidence in entry.evidence:
        by_slot.setdefault(evidence.requirement, []).append(evidence)
    used = services.counted_bytes(entry.evidence)
    lang = interface_language()
    sizes = SimpleNamespace(used=_size(used, lang), quota=_size(rules.max_entry_bytes, lang),
                            file_max=_size(rules.max_file_bytes, lang))
    words = page_words(lang)
    return render_template(
        "participant/entry.html", entry=entry, competition=competition, rules=rules, link=path_for,
        sizes=sizes, csrf_input=Markup(f'<input type="hidden" name="csrf_token" '
                                       f'value="{escape(form_token())}">'),
        status_label=getattr(words, f"status_{entry.status}", entry.status),
        slots=slots, by_slot=by_slot, fields=details_fields(rules, values, form),
        used=used, quota=rules.max_entry_bytes, lock=services.lock_reason(competition),
        problems=services.submission_problems(entry, rules, slots),
        changed=services.changed_since_submission(entry),
        accept=",".join(ACCEPT[k] for k in rules.types),
        types_text=", ".join(LABELS[k] for k in rules.types),
        time_left=time_left_text(competition.submission_deadline), w=words,
        deadline=moment_text(competition.submission_deadline, competition.timezone, lang),
        sent_at=entry.submitted_at and localtime(entry.submitted_at, competition.timezone),
        result=(result := published_result(entry)),
        previous=entry_previous(entry) if result else None,
    ), status


@lru_cache(maxsize=1024)
def _size(size: int, lang: str) -> str:
    """A size as ``filesize`` writes it: the quota and limits repeat on every view."""
    return filesize(size, lang)


ACCEPT = {"pdf": ".pdf,application/pdf", "png": ".png,image/png", "jpeg": ".jpg,.jpeg,image/jpeg",
          "webp": ".webp,image/webp", "xlsx": ".xlsx", "docx": ".docx", "pptx": ".pptx"}


def refused(entry: Entry, exc: Refused):
    """Answer a refused action: a flash and back to the entry (409 for scripts)."""
    if wants_json():
        return jsonify(ok=False, errors=[pick(exc)]), 409
    flash(pick(exc), "error")
    return redirect(url_for("participant.entry", entry_id=entry.id), 303)


def upload_answer(entry: Entry, saved: list[str], errors: list[str]):
    """Report each file's fate: JSON for the progress script, flashes for a plain form."""
    done = [_("Berkas %(name)s diunggah.", name=name) for name in saved]
    if wants_json():
        return jsonify(ok=not errors, saved=done, errors=errors), (200 if saved or not errors
                                                                   else 400)
    for message in done:
        flash(message, "success")
    for message in errors:
        flash(message, "error")
    return redirect(url_for("participant.entry", entry_id=entry.id, _anchor="bukti"), 303)

