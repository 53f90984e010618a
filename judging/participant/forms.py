"""Entry forms, built from the category's rules at request time.

A posted details form is read and checked by WTForms; the page draws the inputs from plain
values (:func:`details_fields`), as building a form class per view cost more than the rest
of the page's own work.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from judging.entries.links import LinkRefused, clean_url, clean_urls
from judging.entries.rules import EvidenceRules, FieldSpec
from judging.i18n import interface_language, pick
from judging.kept import kept

FIELD_PREFIX = "field_"
DESCRIPTION_MAX, SOCIAL_LINKS_MAX = 2000, 20_000
ANSWER_MAX = {"textarea": 5000, "url": 2000, "text": 500}  # a category field's length by type
DESCRIPTION_LABEL, DESCRIPTION_HINT = _l("Deskripsi singkat"), _l("Paling banyak 2.000 karakter.")
SOCIAL_LINKS_LABEL = _l("Tautan akun media sosial")
SOCIAL_LINKS_HINT = _l("Satu alamat per baris, diawali https://")
REQUIRED_HINT = _l("Wajib diisi sebelum entri dikirim.")


def web_address(form, field) -> None:
    """WTForms validator: an http(s) address (empty allowed; DataRequired decides that)."""
    if field.data and field.data.strip():
        try:
            field.data = clean_url(field.data)
        except LinkRefused as exc:
            raise ValidationError(pick(exc)) from exc


class DetailsBase(FlaskForm):
    """Description and social-media accounts; category fields are added per request."""

    description = TextAreaField(DESCRIPTION_LABEL,
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)],
                                description=DESCRIPTION_HINT)
    social_links = TextAreaField(
        SOCIAL_LINKS_LABEL, validators=[Optional(), Length(max=SOCIAL_LINKS_MAX)],
        description=SOCIAL_LINKS_HINT,
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
    hint = REQUIRED_HINT if spec.required else None
    limit = Length(max=_answer_max(spec))
    if spec.type == "textarea":
        return TextAreaField(spec.label, validators=[Optional(), limit], description=hint)
    if spec.type == "url":
        return StringField(spec.label, validators=[Optional(), limit, web_address],
                           description=hint)
    return StringField(spec.label, validators=[Optional(), limit], description=hint)


def _answer_max(spec: FieldSpec) -> int:
    return ANSWER_MAX.get(spec.type, ANSWER_MAX["text"])


@dataclass(frozen=True)
class FieldView:
    """One input of the details form as the page draws it (the ``field`` macro's markup)."""

    name: str
    label: str
    hint: str | None
    textarea: bool
    maxlength: int
    value: str
    rows: int | None = None
    errors: tuple = ()


def details_fields(rules: EvidenceRules, values: dict,
                   form: DetailsBase | None = None) -> list[FieldView]:
    """The details inputs: stored ``values`` by input name, or a posted form's with its errors."""
    views = []
    for name, label, hint, textarea, limit, rows in _inputs(rules):
        if form is not None:
            field = form[name]
            value, errors = field._value(), tuple(field.errors)  # what its widget would show
        else:
            value, errors = values.get(name) or "", ()
        views.append(FieldView(name, label, hint, textarea, limit, value, rows, errors))
    return views


def _inputs(rules: EvidenceRules) -> tuple:
    """(name, label, hint, textarea, maxlength, rows) per input, translated once per app."""
    return kept("entry_details_inputs", (rules.fields, interface_language()),
                lambda: _translated_inputs(rules), at_most=256)


def _translated_inputs(rules: EvidenceRules) -> tuple:
    specs = [("description", DESCRIPTION_LABEL, DESCRIPTION_HINT, True, DESCRIPTION_MAX, 4)]
    specs += [(FIELD_PREFIX + spec.key, spec.label,
               REQUIRED_HINT if spec.required else None, spec.type == "textarea",
               _answer_max(spec), None) for spec in rules.fields]
    specs.append(("social_links", SOCIAL_LINKS_LABEL, SOCIAL_LINKS_HINT, True,
                  SOCIAL_LINKS_MAX, 3))
    return tuple((name, str(label), hint and str(hint), *rest)
                 for name, label, hint, *rest in specs)


class LinkForm(FlaskForm):
    """One link given as evidence, optionally for a slot."""

    url = StringField(_l("Alamat tautan"), validators=[DataRequired(), web_address])
    label = StringField(_l("Keterangan"), validators=[Optional(), Length(max=200)])
    requirement = HiddenField()
