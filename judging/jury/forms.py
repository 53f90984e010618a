"""Jury forms: the scoring form as plain values (read and checked here), the conflict form."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from judging.marking.marks import MarkInput, SheetInput, mark_problem, parse_mark
from judging.models import Criterion, Mark, Scoresheet

COMMENT_MAX = 5000
FALSE_VALUES = ("", "false")  # what a checkbox or button sends when not chosen (as WTForms)


@dataclass
class CriterionInputs:
    """What one criterion's inputs show: the typed mark and comment, the versions seen."""

    criterion: Criterion
    mark: str = ""
    comment: str = ""
    version: str = ""
    seen: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def top(self) -> str:
        """The criterion's highest mark as the number input's ``max``."""
        return _shown(self.criterion.max_mark)


@dataclass
class ScoringForm:
    """The scoring form as plain values: rendered by a Jinja macro, read by ``read_form``.

    WTForms built a form class per request and rendered each input through its widgets;
    on the juror's page that was a quarter of the request, so the inputs are plain here
    and the rules (mark range, comment length) are the same ones the service applies.
    """

    rows: list[CriterionInputs]
    overall_comment: str = ""
    sheet_version: str = ""
    confirm_withdraw: bool = False
    errors: list[str] = field(default_factory=list)

    def row(self, criterion_id: int) -> CriterionInputs:
        return next(r for r in self.rows if r.criterion.id == criterion_id)


def form_from_state(criteria, sheet: Scoresheet | None, marks: dict[int, Mark]) -> ScoringForm:
    """The form as the stored sheet fills it."""
    form = ScoringForm([CriterionInputs(c) for c in criteria])
    for row in form.rows:
        mark = marks.get(row.criterion.id)
        row.mark = _shown(mark.value) if mark else ""
        row.comment = (mark.comment or "") if mark else ""
    form.overall_comment = (sheet.overall_comment or "") if sheet else ""
    refresh_versions(form, sheet, marks)
    return form


def refresh_versions(form: ScoringForm, sheet: Scoresheet | None,
                     marks: dict[int, Mark]) -> None:
    """Put the stored versions and values seen into the form, keeping what was typed."""
    for row in form.rows:
        mark = marks.get(row.criterion.id)
        row.version = str(mark.version) if mark else ""
        row.seen = _shown(mark.value) if mark else ""
    form.sheet_version = str(sheet.version) if sheet else ""


def read_form(formdata, criteria) -> tuple[ScoringForm, SheetInput | None]:
    """The posted form, and the service's input when every field is well-formed.

    Each field's first value, as ``formdata.get`` gives it, read into a plain dict once:
    a missing field then costs no ``KeyError`` raised and caught inside the multidict.
    """
    formdata = dict(formdata.items())
    form = ScoringForm([CriterionInputs(c) for c in criteria])
    marks = {}
    for row in form.rows:
        cid = row.criterion.id
        row.mark = formdata.get(f"mark_{cid}", "")
        row.comment = formdata.get(f"comment_{cid}", "")
        row.version = formdata.get(f"version_{cid}", "")
        row.seen = formdata.get(f"seen_{cid}", "")
        value = _checked_mark(row)
        if len(row.comment) > COMMENT_MAX:
            row.errors.append(_too_long())
        marks[cid] = MarkInput(value=value, comment=row.comment,
                               seen_version=_int(row.version),
                               seen_value=_decimal(row.seen))
    form.overall_comment = formdata.get("overall_comment", "")
    form.sheet_version = formdata.get("sheet_version", "")
    form.confirm_withdraw = _chosen(formdata, "confirm_withdraw")
    if len(form.overall_comment) > COMMENT_MAX:
        form.errors.append(_too_long())
    if form.errors or any(row.errors for row in form.rows):
        return form, None
    return form, SheetInput(marks=marks, action=_action(formdata),
                            overall_comment=form.overall_comment,
                            seen_sheet_version=_int(form.sheet_version))


def _checked_mark(row: CriterionInputs) -> Decimal | None:
    """The typed mark, or None with the reason in ``row.errors``."""
    try:
        value = parse_mark(row.mark)
    except ValueError as refused:
        row.errors.append(str(refused))
        return None
    problem = mark_problem(row.criterion, value)
    if problem:
        row.errors.append(str(problem))
        return None
    return value


def _too_long() -> str:
    return _("Komentar paling banyak %(n)s karakter.", n=COMMENT_MAX)


def _shown(value: Decimal | None) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _chosen(formdata, name: str) -> bool:
    return formdata.get(name, "") not in FALSE_VALUES


def _action(formdata) -> str:
    if _chosen(formdata, "submit_sheet"):
        return "submit"
    return "withdraw" if _chosen(formdata, "withdraw") else "draft"


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
