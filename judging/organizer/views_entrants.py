"""Entrants of an organising body: list, add, edit, import from Excel, invite a participant."""

from __future__ import annotations

from io import BytesIO

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from judging.accounts.grants import invite_participant
from judging.competitions.entrants import (
    LEVEL_LABELS,
    import_entrants,
    preview_entrants,
    save_entrant,
    search_entrants,
    template_workbook,
)
from judging.evidence import evidence_store
from judging.extensions import db
from judging.io.files.storage import InvalidKey, MissingEvidence
from judging.mail import notify
from judging.models import Entry, RoleGrant, User
from judging.organizer.blueprint import bp
from judging.organizer.forms import EntrantForm, ImportConfirmForm, ImportForm, InviteForm
from judging.organizer.loading import managed_entrant, managed_organisation
from judging.pages.outcome import attempt
from judging.permissions import access
from judging.refusals import Refused
from judging.results.previous import entry_previous


@bp.route("/organisations/<int:organisation_id>/entrants")
@access("organizer")
def entrants(organisation_id: int):
    """The body's entrants, searchable by code, name or region, filterable by level."""
    organisation = managed_organisation(organisation_id)
    query, level = request.args.get("q", "").strip(), request.args.get("level", "")
    found = search_entrants(organisation.id, query, level if level in LEVEL_LABELS else "")
    return render_template("organizer/entrants.html", organisation=organisation,
                           entrants=found, q=query, level=level, levels=LEVEL_LABELS,
                           form=EntrantForm(), import_form=ImportForm())


@bp.route("/organisations/<int:organisation_id>/entrants/new", methods=["POST"])
@access("organizer")
def entrant_new(organisation_id: int):
    """Add one entrant."""
    organisation = managed_organisation(organisation_id)
    form = EntrantForm()
    if form.validate_on_submit():
        attempt(lambda: save_entrant(organisation.id, form.data), _("Peserta ditambahkan."))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("organizer.entrants", organisation_id=organisation.id))


@bp.route("/entrants/<int:entrant_id>", methods=["GET", "POST"])
@access("organizer")
def entrant_edit(entrant_id: int):
    """Edit an entrant; shows its entries over the years and its participant accounts."""
    entrant = managed_entrant(entrant_id)
    form = EntrantForm(obj=entrant)
    if form.validate_on_submit():
        if attempt(lambda: save_entrant(entrant.organisation_id, form.data, entrant),
                   _("Perubahan disimpan.")):
            return redirect(url_for("organizer.entrant_edit", entrant_id=entrant.id))
    entries = db.session.scalars(select(Entry).where(Entry.entrant_id == entrant.id)
                                 .order_by(Entry.created_at.desc())).all()
    accounts = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "participant", RoleGrant.entrant_id == entrant.id)).all()
    previous = {e.id: p for e in entries if (p := entry_previous(e)) is not None}
    return render_template("organizer/entrant.html", entrant=entrant, form=form,
                           entries=entries, accounts=accounts, invite_form=InviteForm(),
                           previous=previous)


@bp.route("/organisations/<int:organisation_id>/entrants/import", methods=["POST"])
@access("organizer")
def entrants_import(organisation_id: int):
    """Preview an Excel list: new, changed (with what changes) and unchanged rows; stores none."""
    organisation = managed_organisation(organisation_id)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.workbook.data.read()
        previewed = attempt(lambda: preview_entrants(organisation.id, data, _max_rows()),
                            commit=False)
        report = previewed.value
        if previewed:
            if report.errors:
                flash(_("Tidak ada yang disimpan: perbaiki baris berikut lalu unggah lagi."),
                      "error")
            else:
                key = evidence_store().put(BytesIO(data))
                confirm = ImportConfirmForm(key=key, digest=report.digest)
                return render_template("organizer/entrants_preview.html",
                                       organisation=organisation, report=report, form=confirm)
    else:
        flash(_("Pilih berkas Excel (.xlsx)."), "error")
    return _entrants_page(organisation, form, report), 422


@bp.route("/organisations/<int:organisation_id>/entrants/import/confirm", methods=["POST"])
@access("organizer")
def entrants_import_confirm(organisation_id: int):
    """Apply the previewed list, exactly as previewed; audited."""
    organisation = managed_organisation(organisation_id)
    form = ImportConfirmForm()

    def apply():
        if not form.validate_on_submit():
            raise Refused("Pratinjau tidak valid; unggah daftar lagi.",
                          "The preview is not valid; upload the list again.")
        data = _stored_upload(form.key.data)
        report = import_entrants(organisation.id, data, _max_rows(), digest=form.digest.data)
        if report.errors:
            raise Refused("Daftar berisi baris yang salah; unggah lagi.",
                          "The list has wrong rows; upload it again.")
        return report

    imported = attempt(apply)
    if imported:
        report = imported.value
        flash(_("Impor selesai: %(created)d baru, %(updated)d diperbarui, "
                "%(same)d tidak berubah.", created=report.created, updated=report.updated,
                same=len(report.unchanged)), "success")
    return redirect(url_for("organizer.entrants", organisation_id=organisation.id))


def _stored_upload(key: str) -> bytes:
    try:
        with evidence_store().open(key) as handle:
            return handle.read()
    except (InvalidKey, MissingEvidence, OSError) as exc:
        raise Refused("Berkas pratinjau tidak ditemukan; unggah daftar lagi.",
                      "The previewed file was not found; upload the list again.") from exc


def _max_rows() -> int:
    return current_app.config.get("IMPORT_MAX_ROWS", 20_000)


def _entrants_page(organisation, import_form, report):
    found = search_entrants(organisation.id)
    return render_template("organizer/entrants.html", organisation=organisation,
                           entrants=found, q="", level="", levels=LEVEL_LABELS,
                           form=EntrantForm(), import_form=import_form, report=report)


@bp.route("/organisations/<int:organisation_id>/entrants/template.xlsx")
@access("organizer")
def entrants_template(organisation_id: int):
    """Download the empty entrant list (Kode, Nama, Tingkat, Wilayah)."""
    managed_organisation(organisation_id)
    response = make_response(template_workbook())
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = 'attachment; filename="templat-peserta.xlsx"'
    return response


@bp.route("/entrants/<int:entrant_id>/invite", methods=["POST"])
@access("organizer")
def entrant_invite(entrant_id: int):
    """Invite a participant account for the entrant and show the link to copy."""
    entrant = managed_entrant(entrant_id)
    form = InviteForm()
    if form.validate_on_submit():
        def invite():
            invited = invite_participant(entrant, form.email.data, form.name.data or "")
            return invited, notify.invitation(invited, "participant", entrant.name,
                                              organisation_id=entrant.organisation_id)

        outcome = attempt(invite)
        if outcome:
            invited, message = outcome.value
            notify.send_later([message], user_id=current_user.id)
            return render_template("organizer/invited.html", invited=invited,
                                   back=url_for("organizer.entrant_edit", entrant_id=entrant.id),
                                   for_what=entrant.name, mailed=True)
    else:
        flash(_("Email wajib diisi."), "error")
    return redirect(url_for("organizer.entrant_edit", entrant_id=entrant.id))
