"""Organizer certificate pages: design and preview, generate (a background job), the list
with revoke and re-issue, and downloads (ZIP of all, one PDF for printing)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from judging.certificates import bundles, issue
from judging.certificates.design import (
    DesignSettings,
    SignatorySetting,
    design_settings,
    save_design,
    store_image,
)
from judging.extensions import db
from judging.i18n import pick
from judging.io.certificates.pdfs import MAX_SIGNATORIES, CertificateError, available_layouts
from judging.io.files.names import content_disposition
from judging.jobs import enqueue
from judging.models import Certificate, Competition, Entry
from judging.organizer import views_jobs  # noqa: F401  (the progress pages we link to)
from judging.organizer.blueprint import bp
from judging.organizer.loading import managed_competition
from judging.pages.outcome import attempt
from judging.permissions import access, can_manage_competition, require
from judging.refusals import Refused

HEX = Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Warna harus kode hex, mis. #0b4f6c."))
LAYOUT_LABELS = {"klasik": _l("Klasik (bingkai emas)"), "modern": _l("Modern (pita samping)")}


class SignatoryForm(Form):
    """One signatory row of the design form."""

    name = StringField(_l("Nama"), validators=[Optional(), Length(max=200)])
    position = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    image = FileField(_l("Gambar tanda tangan (PNG/JPEG/WebP)"))
    remove_image = BooleanField(_l("Hapus gambar tanda tangan"))


class DesignForm(FlaskForm):
    """The certificate design of a competition."""

    layout = SelectField(_l("Tata letak"), validators=[DataRequired()])
    primary_colour = StringField(_l("Warna utama"), validators=[DataRequired(), HEX],
                                 render_kw={"type": "color"})
    accent_colour = StringField(_l("Warna aksen"), validators=[DataRequired(), HEX],
                                render_kw={"type": "color"})
    organiser_name = StringField(_l("Nama penyelenggara di sertifikat"),
                                 validators=[Optional(), Length(max=200)])
    place = StringField(_l("Tempat penerbitan"), validators=[Optional(), Length(max=200)])
    date_text = StringField(_l("Tanggal (kosongkan: tanggal terbit)"),
                            validators=[Optional(), Length(max=200)])
    logo = FileField(_l("Logo penyelenggara (PNG/JPEG/WebP, maks. 2 MB)"))
    remove_logo = BooleanField(_l("Hapus logo"))
    signatories = FieldList(FormField(SignatoryForm), min_entries=MAX_SIGNATORIES,
                            max_entries=MAX_SIGNATORIES)


class GenerateForm(FlaskForm):
    """Start a certificate batch."""

    participation = BooleanField(_l("Sertakan sertifikat partisipasi untuk entri terkirim yang "
                                    "tidak mendapat penghargaan"))
    participation_for_winners = BooleanField(
        _l("Pemenang juga mendapat sertifikat partisipasi"))


class ReasonForm(FlaskForm):
    """Revoke or re-issue one certificate."""

    reason = StringField(_l("Alasan"), validators=[DataRequired(), Length(max=1000)])


def managed_certificate(certificate_id: int) -> Certificate:
    """One certificate of a competition the organizer manages."""
    cert = db.session.get(Certificate, certificate_id) or abort(404)
    require(can_manage_competition(current_user, cert.competition))
    return cert


@bp.route("/competitions/<int:competition_id>/certificates")
@access("organizer")
def certificates(competition_id: int):
    """Issued certificates, the generate button and the downloads."""
    competition = managed_competition(competition_id)
    rows = db.session.scalars(
        select(Certificate).join(Entry, Certificate.entry_id == Entry.id)
        .where(Certificate.competition_id == competition.id).order_by(Certificate.id)
    ).all()
    refusal = None
    try:
        issue.ensure_issuable(competition)
    except Refused as error:
        refusal = str(error)
    return render_template(
        "organizer/certificates.html", competition=competition, certificates=rows,
        refusal=refusal, generate_form=GenerateForm(), reason_form=ReasonForm(formdata=None),
        active=sum(1 for c in rows if c.revoked_at is None),
        replaced={c.replaces_id for c in rows if c.replaces_id},
    )


@bp.route("/competitions/<int:competition_id>/certificates/generate", methods=["POST"])
@access("organizer")
def certificates_generate(competition_id: int):
    """Start the background job that issues the missing certificates."""
    competition = managed_competition(competition_id)
    form = GenerateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issue.ensure_issuable(competition)
        issue.ensure_not_running(competition)
    except Refused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("organizer.certificates", competition_id=competition.id), 303)
    job = enqueue(issue.GENERATE_KIND, competition_id=competition.id, user_id=current_user.id,
                  params=job_params(competition, _("Membuat sertifikat"), "application/zip",
                                    participation=bool(form.participation.data),
                                    participation_for_winners=bool(
                                        form.participation_for_winners.data)))
    return redirect(url_for("organizer.job", job_id=job.id), 303)


@bp.route("/competitions/<int:competition_id>/certificates/print", methods=["POST"])
@access("organizer")
def certificates_print(competition_id: int):
    """Start the job that puts every standing certificate in one PDF for printing."""
    competition = managed_competition(competition_id)
    if not GenerateForm().validate_on_submit():
        abort(400)
    if not bundles.active_certificates(competition):
        flash(_("Belum ada sertifikat yang berlaku untuk dicetak."), "error")
        return redirect(url_for("organizer.certificates", competition_id=competition.id), 303)
    job = enqueue(bundles.PRINT_KIND, competition_id=competition.id, user_id=current_user.id,
                  params=job_params(competition, _("PDF cetak sertifikat"), "application/pdf"))
    return redirect(url_for("organizer.job", job_id=job.id), 303)


def job_params(competition: Competition, title: str, mime: str, **extra) -> dict:
    """What a certificate job needs, and what its progress page shows."""
    back = url_for("organizer.certificates", competition_id=competition.id)
    return {"competition_id": competition.id, "title": title,
            "mime": mime, "back_url": back, **extra}


@bp.route("/competitions/<int:competition_id>/certificates/archive.zip")
@access("organizer")
def certificates_zip(competition_id: int):
    """Every standing certificate as one ZIP."""
    competition = managed_competition(competition_id)
    rows = bundles.active_certificates(competition)
    if not rows:
        abort(404)
    response = Response(bundles.zip_bytes(rows), mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(bundles.zip_name(competition))
    return response


@bp.route("/certificates/<int:certificate_id>/pdf")
@access("organizer")
def certificate_pdf(certificate_id: int):
    """One issued certificate's PDF."""
    return bundles.pdf_response(managed_certificate(certificate_id))


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@access("organizer")
def certificate_revoke(certificate_id: int):
    """Revoke one certificate, with the reason."""
    cert = managed_certificate(certificate_id)
    form = ReasonForm()

    def revoke() -> None:
        if not form.validate_on_submit():
            raise Refused("Tuliskan alasan pencabutan.", "Give a reason for revoking.")
        issue.revoke(cert, form.reason.data)

    attempt(revoke, _("Sertifikat %(serial)s dicabut.", serial=cert.serial))
    return redirect(url_for("organizer.certificates", competition_id=cert.competition_id), 303)


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
@access("organizer")
def certificate_reissue(certificate_id: int):
    """Issue a replacement with a new serial and code; the old one is revoked."""
    cert = managed_certificate(certificate_id)
    competition_id = cert.competition_id
    form = ReasonForm()

    def reissue():
        if not form.validate_on_submit():
            raise Refused("Tuliskan alasan penerbitan ulang.", "Give a reason for re-issuing.")
        try:
            return issue.reissue(cert, form.reason.data)
        except CertificateError as error:  # the design cannot be drawn
            raise Refused(error.message_id, error.message_en) from error

    new = attempt(reissue)
    if new:
        flash(_("Sertifikat pengganti %(serial)s diterbitkan.", serial=new.value.serial),
              "success")
        for change in new.value.changes:
            flash(_("Berubah — %(what)s: %(before)s → %(after)s",
                    what=pick(change["label_id"], change["label_en"]),
                    before=change["before"] or "–", after=change["after"] or "–"), "info")
        if not new.value.changes:
            flash(_("Isi sertifikat pengganti sama dengan yang lama."), "info")
    return redirect(url_for("organizer.certificates", competition_id=competition_id), 303)


@bp.route("/competitions/<int:competition_id>/certificates/design", methods=["GET", "POST"])
@access("organizer")
def certificates_design(competition_id: int):
    """Layout, colours, wording, signatories and logo, with a preview of one certificate."""
    competition = managed_competition(competition_id)
    saved = design_settings(competition)
    form = DesignForm(data=None if request.method == "POST" else form_data(saved))
    form.layout.choices = [SelectChoice(k, LAYOUT_LABELS.get(k, k)) for k in available_layouts()]
    if form.validate_on_submit():
        if attempt(lambda: save_design(competition, settings_from(form, saved)),
                   _("Desain sertifikat disimpan. Periksa pratinjau di bawah.")):
            return redirect(url_for("organizer.certificates_design",
                                    competition_id=competition.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("organizer/certificates_design.html", competition=competition,
                           form=form, saved=saved), status


def form_data(saved: DesignSettings) -> dict:
    """The form's initial values from the saved design."""
    people = [{"name": p.name, "position": p.position} for p in saved.signatories]
    people += [{}] * (MAX_SIGNATORIES - len(people))
    return {"layout": saved.layout, "primary_colour": saved.primary_colour,
            "accent_colour": saved.accent_colour, "organiser_name": saved.organiser_name,
            "place": saved.place, "date_text": saved.date_text, "signatories": people}


def settings_from(form: DesignForm, saved: DesignSettings) -> DesignSettings:
    """A new design from the form: uploads checked and stored, unchanged images kept."""
    logo = None if form.remove_logo.data else saved.logo
    if _has_file(form.logo.data):
        logo = store_image(form.logo.data.stream)
    people = []
    for index, row in enumerate(form.signatories.entries):
        old = saved.signatories[index] if index < len(saved.signatories) else None
        fields = row.form
        image = old.image if old and not fields.remove_image.data else None
        if _has_file(fields.image.data):
            image = store_image(fields.image.data.stream)
        name, position = (fields.name.data or "").strip(), (fields.position.data or "").strip()
        if name or position:
            if not (name and position):
                raise Refused(
                    "Setiap penanda tangan memerlukan nama dan jabatan.",
                    "Every signatory needs a name and a position.")
            people.append(SignatorySetting(name, position, image))
    return DesignSettings(
        layout=form.layout.data, primary_colour=form.primary_colour.data.lower(),
        accent_colour=form.accent_colour.data.lower(),
        organiser_name=(form.organiser_name.data or "").strip(),
        place=(form.place.data or "").strip(), date_text=(form.date_text.data or "").strip(),
        signatories=tuple(people), logo=logo,
        use_body_logo=saved.use_body_logo and not form.remove_logo.data,
    )


def _has_file(value) -> bool:
    return bool(value) and bool(getattr(value, "filename", ""))


@bp.route("/competitions/<int:competition_id>/certificates/preview.pdf")
@access("organizer")
def certificates_preview(competition_id: int):
    """One sample certificate in the saved design, shown inline."""
    competition = managed_competition(competition_id)
    pdf = issue.preview_pdf(competition, design_settings(competition))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition("pratinjau.pdf", inline=True)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response.headers["Cache-Control"] = "no-store"
    return response
