"""Organizer forms; the category form gains one field per method component at request time."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from judging.competitions.editing import TIMEZONES
from judging.fields import SafeDecimalField, SafeIntegerField, form_int
from judging.i18n import LEVELS as LEVEL_NAMES
from judging.i18n import pick, threshold_label
from judging.models.competition import AGGREGATIONS, LEVELS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
AGGREGATION_LABELS = {"mean": _l("Rata-rata"), "median": _l("Median"),
                      "trimmed": _l("Rata-rata terpangkas (buang tertinggi & terendah)")}
ZONE_LABELS = {"Asia/Jakarta": "WIB (Asia/Jakarta)", "Asia/Makassar": "WITA (Asia/Makassar)",
               "Asia/Jayapura": "WIT (Asia/Jayapura)"}


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (tuples are deprecated in WTForms)."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (accessible, no JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompetitionForm(FlaskForm):
    name = StringField(_l("Nama kompetisi"), validators=[DataRequired(), Length(max=200)])
    year = SafeIntegerField(_l("Tahun"), validators=[InputRequired(), NumberRange(2000, 2100)])
    organisation_id = SelectField(_l("Penyelenggara"), coerce=form_int)
    code = StringField(_l("Kode (awalan nomor sertifikat)"),
                       validators=[DataRequired(), Length(max=30)],
                       description=_l("Contoh: IKP-2026"))
    timezone = SelectField(_l("Zona waktu"),
                           choices=options((z, ZONE_LABELS[z]) for z in TIMEZONES))
    submission_deadline = DateTimeLocalField(
        _l("Batas waktu pengiriman (waktu setempat)"), format=DATETIME_FORMATS,
        validators=[Optional()])
    grace_minutes = SafeIntegerField(_l("Tenggang waktu (menit)"), default=0,
                                 validators=[InputRequired(), NumberRange(0, 24 * 60)])
    judging_starts = DateTimeLocalField(_l("Penjurian mulai (waktu setempat)"),
                                        format=DATETIME_FORMATS, validators=[Optional()])
    judging_ends = DateTimeLocalField(_l("Penjurian selesai (waktu setempat)"),
                                      format=DATETIME_FORMATS, validators=[Optional()])
    award_labels = TextAreaField(_l("Label penghargaan (satu per baris)"),
                                 validators=[DataRequired()])
    show_rank_rise = BooleanField(
        _l("Tandai \"naik peringkat\" di hasil publik"),
        description=_l("Untuk kompetisi salinan tahun lalu: peserta yang peringkatnya naik "
                       "dibanding tahun lalu diberi tanda."))


class CopyForm(FlaskForm):
    name = StringField(_l("Nama kompetisi baru"), validators=[DataRequired(), Length(max=200)])
    year = SafeIntegerField(_l("Tahun"), validators=[InputRequired(), NumberRange(2000, 2100)])
    code = StringField(_l("Kode (awalan nomor sertifikat)"),
                       validators=[DataRequired(), Length(max=30)])


class PhaseForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Alasan"), validators=[Optional(), Length(max=2000)])
    override = TextAreaField(_l("Alasan pengecualian"), validators=[Optional(), Length(max=2000)])


def level_choices():
    return options((key, LEVEL_NAMES[key]) for key in LEVELS)


class NewCategoryForm(FlaskForm):
    name = StringField(_l("Nama kategori"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Kode kategori"), validators=[DataRequired(), Length(max=20)],
                       description=_l("Dipakai di kode entri dan nomor sertifikat, mis. KIP"))
    method_key = SelectField(_l("Metode penilaian"))
    level = SelectField(_l("Tingkat"), choices=level_choices)
    places = SafeIntegerField(_l("Jumlah juara"), default=3, validators=[NumberRange(1, 50)])


class CategoryForm(FlaskForm):
    """Settings of an existing category; weight_* and threshold_* fields are added per method."""

    name = StringField(_l("Nama kategori"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Kode kategori"), validators=[DataRequired(), Length(max=20)])
    level = SelectField(_l("Tingkat"), choices=level_choices)
    places = SafeIntegerField(_l("Jumlah juara"), validators=[InputRequired(), NumberRange(1, 50)])
    aggregation = SelectField(_l("Agregasi nilai juri"),
                              choices=options((a, AGGREGATION_LABELS[a]) for a in AGGREGATIONS))
    normalise = BooleanField(_l("Normalisasi per juri (skor-z)"))
    blind = BooleanField(_l("Penjurian buta: juri melihat kode entri, bukan nama peserta"))
    share_comments = BooleanField(_l(
        "Tampilkan komentar juri kepada peserta bersama hasil yang diumumkan (tanpa nama juri)"))
    required_marks = SafeIntegerField(_l("Jumlah penilaian juri minimum per entri"),
                                  validators=[InputRequired(), NumberRange(0, 50)])
    disagreement_threshold = SafeDecimalField(_l("Ambang selisih nilai antar juri"), places=2,
                                          validators=[InputRequired(), NumberRange(0, 100)])
    description = TextAreaField(_l("Keterangan"), validators=[Optional()])


def category_form_class(method):
    """A CategoryForm subclass with one weight field per component and per threshold."""
    attrs = {}
    for component in method.components:
        attrs[f"weight_{component.key}"] = SafeDecimalField(
            _l("Bobot %(name)s (%%)", name=LazyString(pick, component.label)), places=2,
            validators=[InputRequired(), NumberRange(0, 100)])
    for name in method.default_thresholds:
        attrs[f"threshold_{name}"] = SafeDecimalField(
            _l("Ambang %(name)s", name=LazyString(threshold_label, method.key, name)), places=2,
            validators=[InputRequired()])
    return type("MethodCategoryForm", (CategoryForm,), attrs)


class CriterionRow(Form):
    id = HiddenField()
    label = StringField(_l("Kriteria"), validators=[Length(max=200)])
    guidance = TextAreaField(_l("Panduan"), validators=[Optional()])
    weight = SafeDecimalField(_l("Bobot"), places=2, validators=[Optional()])
    max_mark = SafeDecimalField(_l("Nilai maks."), places=2, validators=[Optional()])
    remove = BooleanField(_l("Hapus"))


class RubricForm(FlaskForm):
    rows = FieldList(FormField(CriterionRow))


class EntrantForm(FlaskForm):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Tingkat"), choices=level_choices)
    region = StringField(_l("Wilayah"), validators=[Optional(), Length(max=200)])


class ImportForm(FlaskForm):
    workbook = FileField(_l("Berkas Excel (.xlsx)"), validators=[FileRequired()])


class ImportConfirmForm(FlaskForm):
    """Confirms a previewed entrant list: the stored file and the plan's fingerprint."""

    key = HiddenField(validators=[DataRequired(), Length(max=128)])
    digest = HiddenField(validators=[DataRequired(), Length(max=64)])


class InviteForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Nama"), validators=[Optional(), Length(max=200)])


class EnrolForm(FlaskForm):
    entrants = MultiCheckboxField(_l("Peserta"), coerce=form_int)
    nominate = BooleanField(_l("Nominasi: penyelenggara menilai sendiri; entri langsung "
                               "berstatus terkirim, bukti dari peserta opsional"))


class JurorForm(InviteForm):
    categories = MultiCheckboxField(_l("Kategori"), coerce=form_int)


class AssignmentForm(FlaskForm):
    pairs = MultiCheckboxField(_l("Penugasan"))


class EntryPickForm(FlaskForm):
    juror_id = SelectField(_l("Juri"), coerce=form_int)
    entries = MultiCheckboxField(_l("Entri"), coerce=form_int)


class ConflictRecordForm(FlaskForm):
    """The organizer records a juror's conflict of interest with an entry."""

    juror_id = SelectField(_l("Juri"), coerce=form_int)
    entry_id = SelectField(_l("Entri"), coerce=form_int)
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(_l("Alasan wajib diisi.")),
                                                     Length(max=2000)])


class AutoAssignForm(FlaskForm):
    pool = MultiCheckboxField(_l("Kumpulan juri"), coerce=form_int)
    per_entry = SafeIntegerField(_l("Juri per entri"), default=2,
                             validators=[InputRequired(), NumberRange(1, 50)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Aksi"), validators=[Optional()])
    actor = SelectField(_l("Pelaku"), validators=[Optional()])
    since = DateField(_l("Dari tanggal"), validators=[Optional()])
    until = DateField(_l("Sampai tanggal"), validators=[Optional()])
