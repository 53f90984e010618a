"""Form fields that turn malformed numbers into a field error, never a server error.

WTForms' own fields accept Unicode digits, numbers too large for a database column and
``NaN``/``sNaN``/``Infinity`` (which break ``NumberRange`` with an exception). These
accept plain ASCII numbers of a bounded length only; every form uses them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField

MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:[.,][0-9]{0,6})?|[.,][0-9]{1,6})")


def form_int(value) -> int:
    """``int()`` for form input: ASCII digits, at most 18 of them; ValueError otherwise.

    Used as ``coerce=`` of select fields, so ``²`` or a 4,000-digit id is an invalid
    choice rather than an overflow in the database.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_ID:
            raise ValueError(_l("Bilangan terlalu besar."))
        return value
    text = str(value).strip() if value is not None else ""
    if not _INTEGER.fullmatch(text):
        raise ValueError(_l("Isi dengan bilangan bulat."))
    return int(text)


def form_decimal(text: str) -> Decimal:
    """A finite decimal typed with a point or a comma; ValueError for anything else."""
    text = (text or "").strip()
    if not _DECIMAL.fullmatch(text):
        raise ValueError(_l("Isi dengan angka, misalnya 85 atau 85,5."))
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        raise ValueError(_l("Isi dengan angka, misalnya 85 atau 85,5.")) from None


class SafeIntegerField(IntegerField):
    """An integer field that refuses Unicode digits and numbers beyond 18 digits."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = None
            self.data = form_int(valuelist[0])


class SafeDecimalField(DecimalField):
    """A decimal field that refuses NaN, sNaN, Infinity, exponents and endless digits."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = None
            self.data = form_decimal(valuelist[0])


def int_or(value, default: int | None = None) -> int | None:
    """:func:`form_int`, or ``default`` for anything that is not a plain bounded integer."""
    try:
        return form_int(value)
    except ValueError:
        return default
