"""Numbers as Indonesian offices write them, turned into floats or refused with a reason.

Rules for text (documented because they decide real values):

* ``.`` groups thousands and ``,`` marks decimals: "1.234" → 1234, "1.234.567" → 1234567,
  "87,5" → 87.5, "1.234,5" → 1234.5. When both marks appear, the last one is the
  decimal mark, so an English "1,234.5" also reads right.
* A single ``.`` that cannot be a thousands group ("87.5", "0.87") is a decimal point;
  several ``,`` in thousands groups ("1,234,567") are thousands separators.
* Spaces (also non-breaking) between digit groups are ignored: "1 234" → 1234.
* "12%", "12 %", "12,5%" → 12 / 12.5: a written percent sign means the number is already
  in percent. Empty, "" and "-" mean *no value* (``None``).

Percent indicators hold 0–100. A fraction (0.87 for 87 %) is converted when the cell is
formatted as a percentage, which is what the person saw in Excel (see
:func:`parse_number`), or when a whole column was typed as fractions (see
:func:`fraction_column`); a plain 0.5 among 40, 75 and 90 stays 0.5.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

EMPTY_TEXT = frozenset({"", "-", "–", "—"})
_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}(?!\d))")
_DOT_GROUPS = re.compile(r"\d{1,3}(\.\d{3})+")
_COMMA_GROUPS = re.compile(r"\d{1,3}(,\d{3}){2,}")
_PLAIN = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class NumberError(ValueError):
    """A cell that is not an acceptable number; the reason in Indonesian and English."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


def parse_number(value: object, kind: str = "float", *, percent_format: bool = False):
    """Return ``value`` as a float (``None`` when empty) or raise :class:`NumberError`.

    ``kind`` is an indicator type: ``int`` also demands a whole number; ``percent`` with
    ``percent_format=True`` (the cell's number format shows "%") multiplies a stored
    fraction by 100. Calamine's quirks (ints as floats, "" for empty, dates) land here.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_number(str(value).upper())
    if isinstance(value, (int, float)):
        number = float(value)
        if kind == "percent" and percent_format:
            number = round(number * 100, 10)
    elif isinstance(value, str):
        number = parse_text(value)
        if number is None:
            return None
    elif isinstance(value, (date, datetime, time, timedelta)):
        shown = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
        raise NumberError(
            f"berisi tanggal/waktu ({shown}), bukan angka; format sel sebagai angka",
            f"holds a date/time ({shown}), not a number; format the cell as a number",
        )
    else:
        raise _not_number(str(value))
    if not math.isfinite(number):
        raise _not_number(str(value))
    if kind == "int" and not number.is_integer():
        raise NumberError(
            f"{format_number(number, 'id')} harus bilangan bulat",
            f"{format_number(number, 'en')} must be a whole number",
        )
    return number


def parse_text(text: str) -> float | None:
    """Read a number written as text in Indonesian (or plain English) notation."""
    cleaned = text.strip().replace("\u2212", "-")
    if cleaned in EMPTY_TEXT:
        return None
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    cleaned = _SPACES.sub("", cleaned)
    sign = ""
    if cleaned[:1] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:].lstrip()
    normalised = _normalise_marks(cleaned)
    if normalised is None or not _PLAIN.fullmatch(normalised):
        raise _not_number(text.strip())
    return float(sign + normalised.replace(",", "."))


def _normalise_marks(text: str) -> str | None:
    """Rewrite thousands/decimal marks so only one ``.`` decimal point remains."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, frac = text.rpartition(decimal)
        if whole.count(decimal) or not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})*", whole):
            return None
        return whole.replace(group, "") + "." + frac
    if dots > 1 or (dots == 1 and _DOT_GROUPS.fullmatch(text)):
        return text.replace(".", "") if _DOT_GROUPS.fullmatch(text) else None
    if commas > 1:
        return text.replace(",", "") if _COMMA_GROUPS.fullmatch(text) else None
    return text


def fraction_column(plain_numbers: Iterable[float]) -> bool:
    """True when a percent column was typed as fractions: all in 0–1, one strictly inside.

    ``plain_numbers`` are the column's numbers written without a percent sign or percent
    format. A column of 0.87, 0.5 and 1 becomes 87, 50, 100; a column of 40, 0.5, 90 keeps
    its 0.5, and a column of only 0 and 1 is taken as written.
    """
    inside = False
    for number in plain_numbers:
        if number < 0 or number > 1:
            return False
        inside = inside or 0 < number < 1
    return inside


def format_number(value, lang: str = "id", *, grouping: bool = True, places: int = 6) -> str:
    """Show a number the way readers of ``lang`` write it: 1.234,5 (id) or 1,234.5 (en).

    The one number formatter (``i18n.number`` adds the interface language): no exponent, no
    trailing zeros, at most ``places`` decimals; ``grouping=False`` drops thousands marks (80,5).
    """
    group = "," if grouping else ""
    if float(value).is_integer():
        text = f"{int(value):{group}}"
    else:
        text = f"{value:{group}.{places}f}".rstrip("0").rstrip(".")
    if lang == "id":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_decimal(value, lang: str = "id", places: int = 2) -> str:
    """A score with exactly ``places`` decimals as Babel writes it: 86,31 (id) or 86.31 (en).

    Babel's own formatter costs ~40 µs a number and a ranking page shows thousands, so the
    same steps (Decimal of the text, half-even rounding, the locale's symbols) run here.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or not 1 <= places < len(_QUANTA):
        from babel.numbers import format_decimal as babel_decimal

        return babel_decimal(value, format="#,##0." + "0" * places, locale=lang)
    text = f"{abs(number).quantize(_QUANTA[places]):,f}"
    minus, marks = _decimal_symbols(lang)
    return (minus if number.is_signed() else "") + text.translate(marks)


_QUANTA = [Decimal(1).scaleb(-p) for p in range(10)]


@functools.cache
def decimal_formatter(lang: str, places: int = 2) -> Callable[[object], str]:
    """``format_decimal`` for one language and ``places``, its symbols looked up once: a
    ranking page formats hundreds of scores."""
    if not 1 <= places < len(_QUANTA):
        return functools.partial(format_decimal, lang=lang, places=places)
    minus, marks = _decimal_symbols(lang)
    quantum = _QUANTA[places]

    def formatted(value) -> str:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            return format_decimal(value, lang, places)
        text = f"{abs(number).quantize(quantum):,f}".translate(marks)
        return minus + text if number.is_signed() else text

    return formatted


@functools.cache
def _decimal_symbols(lang: str) -> tuple[str, dict[int, str]]:
    """The locale's minus sign and the table turning "1,234.50" into its own marks."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    return get_minus_sign_symbol(lang), str.maketrans(
        {",": get_group_symbol(lang), ".": get_decimal_symbol(lang)})


SIZE_UNITS = ("KB", "MB", "GB")
SIZE_STEP = 1024  # limits are configured in MB of 1024 × 1024 bytes (io.files.check.MB)


def format_size(size: int | None, lang: str = "id") -> str:
    """Bytes in the units limits are set in: 10 MB limit → "10 MB", 0 → "0 KB", 1,5 MB."""
    amount = float(size or 0) / SIZE_STEP
    unit = SIZE_UNITS[0]
    for unit in SIZE_UNITS:
        if amount < SIZE_STEP or unit == SIZE_UNITS[-1]:
            break
        amount /= SIZE_STEP
    return f"{format_number(round(amount, 1), lang, places=1)} {unit}"


def _not_number(shown: str) -> NumberError:
    return NumberError(f"'{shown}' bukan angka", f"'{shown}' is not a number")
