"""Entry forms, built from the category's rules at request time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from judging.entries.links import LinkRefused, clean_url, clean_urls
from judging.entries.rules import EvidenceRules, FieldSpec
from judging.i18n import pick

FIELD_PREFIX = "field_"


def web_address(form, field) -> None:
    """WTForms validator: an http(s) address (empty allowed; DataRequired decides that)."""
    if field.data and field.data.strip():
        try:
            field.data = clean_url(field.data)
        except LinkRefused as exc:
            raise ValidationError(pick(exc)) from exc


class DetailsBase(FlaskForm):
    """Description and social-media accounts; category fields are added per request."""

    description = TextAreaField(_l("Deskripsi singkat"), validators=[Optional(), Length(max=2000)],
                                description=_l("Paling banyak 2.000 karakter."))
    social_links = TextAreaField(
        _l("Tautan akun media sosial"), validators=[Optional(), Length(max=20_000)],
        description=_l("Satu alamat per baris, diawali https://"),
    )


def details_form(rules: EvidenceRules, **kwargs) -> DetailsBase:
    """A details form with one input per category field (``field_<key>``)."""

    class DetailsForm(DetailsBase):
        pass

    for spec in rules.fields:
        setattr(DetailsForm, FIELD_PREFIX + spec.key, _field_for(spec))
    form = DetailsForm(**kwargs)
    form.max_links = rules.max_links
    return form


def social_links_of(form: DetailsBase) -> list[str]:
    """The cleaned account links, or a ValidationError-style message on the field."""
    try:
        return clean_urls(form.social_links.data or "", limit=form.max_links)
    except LinkRefused as exc:
        form.social_links.errors = [*form.social_links.errors, pick(exc)]
        raise


def fields_of(form: DetailsBase, rules: EvidenceRules) -> dict:
    """The category answers keyed by field key, trimmed."""
    return {spec.key: (getattr(form, FIELD_PREFIX + spec.key).data or "").strip()
            for spec in rules.fields}


def _field_for(spec: FieldSpec):
    # Required answers are enforced at submission, so a half-filled draft can be saved.
    hint = _l("Wajib diisi sebelum entri dikirim.") if spec.required else None
    if spec.type == "textarea":
        return TextAreaField(spec.label, validators=[Optional(), Length(max=5000)],
                             description=hint)
    if spec.type == "url":
        return StringField(spec.label, validators=[Optional(), Length(max=2000), web_address],
                           description=hint)
    return StringField(spec.label, validators=[Optional(), Length(max=500)], description=hint)


class LinkForm(FlaskForm):
    """One link given as evidence, optionally for a slot."""

    url = StringField(_l("Alamat tautan"), validators=[DataRequired(), web_address])
    label = StringField(_l("Keterangan"), validators=[Optional(), Length(max=200)])
    requirement = HiddenField()
