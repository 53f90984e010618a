"""Number fields refuse what only looks like a number, with a field error, not a crash."""

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import NumberRange

from judging.fields import SafeDecimalField, SafeIntegerField, form_int, int_or


class _Form(Form):
    count = SafeIntegerField(validators=[NumberRange(0, 50)])
    weight = SafeDecimalField(validators=[NumberRange(0, 100)])


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 19, "9" * 4000, "1.5", "0x10", "", "\x00"])
def test_integer_lookalikes_are_field_errors(value):
    form = _Form(MultiDict({"count": value, "weight": "1"}))
    assert not form.validate() and form.errors["count"]
    assert int_or(value) is None


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-Infinity", "1e999999",
                                   "9" * 400, "٣"])
def test_decimal_lookalikes_are_field_errors(value):
    form = _Form(MultiDict({"count": "1", "weight": value}))
    assert not form.validate() and form.errors["weight"]


def test_plain_numbers_pass():
    form = _Form(MultiDict({"count": " 12 ", "weight": "85,5"}))
    assert form.validate(), form.errors
    assert (form.count.data, form.weight.data) == (12, Decimal("85.5"))
    assert form_int("-3") == -3 and int_or("abc", 7) == 7
