"""Formula-safe cell values and sheet names for every workbook Juara writes.

Entrant names, comments and labels come from users. A spreadsheet executes text that
starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) when the cell is a formula
cell, or when someone edits it or round-trips the file through CSV. So such text is
written as an explicit string cell (``t="inlineStr"``) carrying Excel's *quote prefix*
flag — exactly what Excel stores when a person types ``'=1+1`` — and the text itself is
left unchanged, so it reads the same and re-imports the same. The trigger is also
checked after leading whitespace and invisible format characters (``"  =1+1"``,
``"\\u200b=1+1"``): it costs nothing because the text is never altered, and some
importers trim or drop them before parsing. Numbers stay numbers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles.cell_style import StyleArray

# ASCII triggers plus their full-width forms, which some IMEs turn into formulas.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"  # fillers that render as nothing
_PASS_THROUGH = (int, float, Decimal, date, datetime, time)  # bool is an int
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_TITLE_MAX = 31
_RESERVED_TITLES = frozenset({"history"})


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula or a DDE call."""
    for char in text:
        if char in FORMULA_TRIGGERS:
            return True
        if not _invisible(char):
            return False
    return False


def _invisible(char: str) -> bool:
    """Whitespace or a format character (zero-width space, BOM, word joiner, soft hyphen…).

    Such a prefix shows nothing, and importers that trim or normalise text drop it.
    """
    if char in _LEADING_SPACE or char in _BLANK_LETTERS or char.isspace():
        return True
    return unicodedata.category(char) == "Cf"


def needs_protection(text: str) -> bool:
    """True for formula-like text and for text openpyxl would store as an error (``#N/A``)."""
    return looks_like_formula(text) or text in ERROR_CODES


def clean_text(text: str) -> str:
    """Drop control characters XML cannot hold, so one bad comment never breaks an export.

    Carriage returns become line feeds: XML readers normalise them anyway, so this makes
    what is written equal to what is read back.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def as_text(value: Any) -> str:
    """The cleaned text a non-numeric value is written as."""
    return clean_text(value if isinstance(value, str) else str(value))


def protect(cell: Cell) -> Cell:
    """Force ``cell`` to be a quote-prefixed string cell whatever its text begins with."""
    if cell.data_type in ("f", "e"):
        cell.data_type = "s"
    if cell.data_type == "s":
        cell.quotePrefix = True
    return cell


def safe_cell(value: Any, ws) -> Any:
    """Return what to append to write-only sheet ``ws`` so ``value`` is never executed.

    Numbers, booleans, dates and ``None`` come back unchanged; other values become text.
    Plain text comes back as a ``str``; formula-like text as a protected ``WriteOnlyCell``
    (it needs ``ws`` because the quote-prefix flag is a cell style).
    """
    if value is None or isinstance(value, _PASS_THROUGH):
        return value
    text = as_text(value)
    if not needs_protection(text):
        return text
    cell = WriteOnlyCell(ws)
    cell.value = text
    return protect(cell)


def styled_cell(ws, value: Any, style: StyleArray) -> WriteOnlyCell:
    """A write-only cell sharing the prepared ``style``, as safe as :func:`safe_cell`.

    Sharing one ``StyleArray`` between cells is what keeps styled exports fast; a cell
    needing the quote-prefix flag gets its own copy so the shared one is never changed.
    """
    cell = WriteOnlyCell(ws)
    if value is None or isinstance(value, _PASS_THROUGH):
        cell.value = value
        cell._style = style
        return cell
    text = as_text(value)
    cell.value = text
    if needs_protection(text):
        cell._style = StyleArray(style)
        protect(cell)
    else:
        cell._style = style
    return cell


def set_safe(ws, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into a normal (not write-only) sheet with the same protection."""
    if value is not None and not isinstance(value, _PASS_THROUGH):
        value = as_text(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and needs_protection(value):
        protect(cell)
    return cell


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet title made from ``name``; records it in ``used``.

    Excel refuses titles over 31 characters, with ``[]:*?/\\``, starting or ending with an
    apostrophe, or named "History".
    """
    base = _SHEET_TITLE_BAD.sub(" ", clean_text(name or "")).strip().strip("'").strip()
    base = " ".join(base.split())[:SHEET_TITLE_MAX].strip().strip("'").strip() or "Lembar"
    if base.lower() in _RESERVED_TITLES:
        base = f"{base} 1"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        suffix = f" ({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
    used.add(title.lower())
    return title
