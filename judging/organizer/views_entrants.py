"""Entrants of an organising body: list, add, edit, import from Excel, invite a participant."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from judging.accounts.grants import invite_participant
from judging.competitions.entrants import (
    LEVEL_LABELS,
    import_entrants,
    save_entrant,
    search_entrants,
    template_workbook,
)
from judging.extensions import db
from judging.models import Entry, RoleGrant, User
from judging.organizer.blueprint import bp
from judging.organizer.forms import EntrantForm, ImportForm, InviteForm
from judging.organizer.loading import flash_refusal, managed_entrant, managed_organisation
from judging.permissions import access
from judging.refusals import Refused


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
        try:
            save_entrant(organisation.id, form.data)
        except Refused as refusal:
            db.session.rollback()
            flash_refusal(refusal)
        else:
            db.session.commit()
            flash(_("Peserta ditambahkan."), "success")
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
        try:
            save_entrant(entrant.organisation_id, form.data, entrant)
        except Refused as refusal:
            db.session.rollback()
            flash_refusal(refusal)
        else:
            db.session.commit()
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("organizer.entrant_edit", entrant_id=entrant.id))
    entries = db.session.scalars(select(Entry).where(Entry.entrant_id == entrant.id)
                                 .order_by(Entry.created_at.desc())).all()
    accounts = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "participant", RoleGrant.entrant_id == entrant.id)).all()
    return render_template("organizer/entrant.html", entrant=entrant, form=form,
                           entries=entries, accounts=accounts, invite_form=InviteForm())


@bp.route("/organisations/<int:organisation_id>/entrants/import", methods=["POST"])
@access("organizer")
def entrants_import(organisation_id: int):
    """Import entrants from an Excel list; any bad row stops the whole import."""
    organisation = managed_organisation(organisation_id)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = import_entrants(organisation.id, form.workbook.data.read(),
                                     current_app.config.get("IMPORT_MAX_ROWS", 20_000))
        except Refused as refusal:
            db.session.rollback()
            flash_refusal(refusal)
        else:
            if report.errors:
                db.session.rollback()
                flash(_("Tidak ada yang disimpan: perbaiki baris berikut lalu unggah lagi."),
                      "error")
            else:
                db.session.commit()
                flash(_("Impor selesai: %(created)d baru, %(updated)d diperbarui.",
                        created=report.created, updated=report.updated), "success")
                return redirect(url_for("organizer.entrants", organisation_id=organisation.id))
    else:
        flash(_("Pilih berkas Excel (.xlsx)."), "error")
    found = search_entrants(organisation.id)
    return render_template("organizer/entrants.html", organisation=organisation,
                           entrants=found, q="", level="", levels=LEVEL_LABELS,
                           form=EntrantForm(), import_form=form, report=report), 422


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
        try:
            invited = invite_participant(entrant, form.email.data, form.name.data or "")
        except Refused as refusal:
            db.session.rollback()
            flash_refusal(refusal)
        else:
            db.session.commit()
            return render_template("organizer/invited.html", invited=invited,
                                   back=url_for("organizer.entrant_edit", entrant_id=entrant.id),
                                   for_what=entrant.name)
    else:
        flash(_("Email wajib diisi."), "error")
    return redirect(url_for("organizer.entrant_edit", entrant_id=entrant.id))
