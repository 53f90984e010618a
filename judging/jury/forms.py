"""Jury forms; the scoring form is built at request time from the category's criteria."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import NumberInput

from judging.marking.marks import MarkInput, SheetInput, mark_problem, parse_mark
from judging.models import Criterion, Mark, Scoresheet


class MarkField(StringField):
    """A mark typed as 85, 85.5 or 85,5; empty means not marked yet."""

    widget = NumberInput(step="0.01")

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.raw = valuelist[0]
            self.data = parse_mark(valuelist[0])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(Decimal(self.data).normalize(), "f")


class InRubric:
    """The criterion's range rule from the scoring service, as a field validator."""

    def __init__(self, criterion: Criterion):
        self.criterion = criterion

    def __call__(self, form, field):
        problem = mark_problem(self.criterion, field.data)
        if problem:
            raise ValidationError(problem)


class ScoringBase(FlaskForm):
    """The fixed part of every scoring form."""

    overall_comment = TextAreaField(_l("Catatan umum"), validators=[Optional(), Length(max=5000)])
    sheet_version = HiddenField()
    save = SubmitField(_l("Simpan draf"))
    submit_sheet = SubmitField(_l("Kirim penilaian"))
    withdraw = SubmitField(_l("Tarik kembali ke draf"))
    confirm_withdraw = BooleanField(
        _l("Saya paham penilaian ini keluar dari peringkat sampai saya mengirimnya lagi"))


def scoring_form_class(criteria: list[Criterion]) -> type[ScoringBase]:
    """A form class with a mark, comment and seen version/value per criterion."""
    attributes = {}
    for c in criteria:
        top = format(Decimal(c.max_mark).normalize(), "f")
        attributes[f"mark_{c.id}"] = MarkField(
            c.label, validators=[Optional(), InRubric(c)], description=c.guidance,
            render_kw={"min": "0", "max": top, "data-weight": str(c.weight),
                       "data-max": top, "class": "mark-input", "inputmode": "decimal"},
        )
        attributes[f"comment_{c.id}"] = TextAreaField(
            _l("Komentar"), validators=[Optional(), Length(max=5000)],
            render_kw={"rows": 2},
        )
        attributes[f"version_{c.id}"] = HiddenField()
        attributes[f"seen_{c.id}"] = HiddenField()
    return type("ScoringForm", (ScoringBase,), attributes)


def fill_from_state(form: ScoringBase, criteria, sheet: Scoresheet | None,
                    marks: dict[int, Mark], *, values: bool = True) -> None:
    """Put the stored marks (when ``values``) and their versions into the form."""
    for c in criteria:
        mark = marks.get(c.id)
        if values:
            getattr(form, f"mark_{c.id}").data = mark.value if mark else None
            getattr(form, f"comment_{c.id}").data = mark.comment if mark else ""
        getattr(form, f"version_{c.id}").data = str(mark.version) if mark else ""
        seen = mark.value if mark and mark.value is not None else None
        getattr(form, f"seen_{c.id}").data = "" if seen is None else str(seen)
    if values:
        form.overall_comment.data = sheet.overall_comment if sheet else ""
    form.sheet_version.data = str(sheet.version) if sheet else ""


def sheet_input(form: ScoringBase, criteria) -> SheetInput:
    """The submitted form as the scoring service's input."""
    marks = {}
    for c in criteria:
        marks[c.id] = MarkInput(
            value=getattr(form, f"mark_{c.id}").data,
            comment=getattr(form, f"comment_{c.id}").data or "",
            seen_version=_int(getattr(form, f"version_{c.id}").data),
            seen_value=_decimal(getattr(form, f"seen_{c.id}").data),
        )
    return SheetInput(
        marks=marks,
        action=_action(form),
        overall_comment=form.overall_comment.data or "",
        seen_sheet_version=_int(form.sheet_version.data),
    )


def _action(form: ScoringBase) -> str:
    if form.submit_sheet.data:
        return "submit"
    return "withdraw" if form.withdraw.data else "draft"


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return -1  # a mangled version never matches: treated as stale


def _decimal(text: str | None) -> Decimal | None:
    try:
        return parse_mark(text)
    except ValueError:
        return None


class ConflictForm(FlaskForm):
    """Declare a conflict of interest; the reason is required."""

    reason = TextAreaField(
        _l("Alasan konflik kepentingan"),
        validators=[DataRequired(_l("Alasan wajib diisi.")), Length(max=2000)],
    )
    confirm = SubmitField(_l("Nyatakan konflik"))
