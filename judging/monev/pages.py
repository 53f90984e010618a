"""Preview pages in a compact binary form: a page is a few packed integer arrays.

A 100,000-row batch is 500 pages of 200 rows; as JSON lists every cell was a Python
object to make, encode and parse again. Here a page is row numbers, entry ids, the new
values and (when any entry of the page had values stored) the old ones, each a packed
array of integers in ten-thousandths, as :class:`~judging.models.types.ScaledDecimal`
stores them. Entrant codes and names are not stored: a view looks up its page's 200.
"""

from __future__ import annotations

import struct
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

SCALE = 10_000  # IndicatorValue keeps four decimal places
NONE = -(2**63)  # news: the cell was empty; olds: nothing stored for the key
NULL = NONE + 1  # olds: a stored value that is itself empty
_HEAD = struct.Struct("<IIB7x")  # rows, keys, olds present; padded to keep arrays aligned
_EXACT = 2.0**49  # below this a float times SCALE is exact enough to round in floats


class Page(NamedTuple):
    """One decoded page: int32 row numbers, int64 entry ids, int64 n×k news and olds."""

    rows: object
    entry_ids: object
    news: object
    olds: object | None  # None: no entry of the page had a value stored


def scaled(value: float) -> int:
    """A read number as the stored integer of ten-thousandths (half up, like Decimal)."""
    if value.is_integer():
        return int(value) * SCALE
    product = value * SCALE
    nearest = round(product)
    if abs(abs(product - nearest) - 0.5) > 1e-6:
        return nearest
    exact = Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return int(exact.scaleb(4))


def scaled_array(floats):
    """:func:`scaled` over an array of floats at once (NaN, an empty cell, gives NONE)."""
    import numpy as np

    product = floats * SCALE
    nearest = np.rint(product)
    present = ~np.isnan(floats)
    out = np.full(floats.shape, NONE, dtype=np.int64)
    out[present] = nearest[present]
    with np.errstate(invalid="ignore"):
        doubtful = present & ((np.abs(np.abs(product - nearest) - 0.5) <= 1e-6)
                              | ~(np.abs(floats) < _EXACT))
    for index in zip(*np.nonzero(doubtful), strict=True):  # halves and huge numbers: exact
        out[index] = scaled(float(floats[index]))
    return out


def encode(rows, entry_ids, news, olds) -> bytes:
    """One page's arrays as bytes (``olds`` None or all NONE: not stored)."""
    import numpy as np

    keep = olds is not None and bool((olds != NONE).any())
    parts = [_HEAD.pack(len(rows), news.shape[1], keep),
             np.ascontiguousarray(entry_ids, dtype=np.int64).tobytes(),
             np.ascontiguousarray(news, dtype=np.int64).tobytes()]
    if keep:
        parts.append(np.ascontiguousarray(olds, dtype=np.int64).tobytes())
    parts.append(np.ascontiguousarray(rows, dtype=np.int32).tobytes())
    return b"".join(parts)


def decode(blob: bytes) -> Page:
    """The arrays of one stored page (read-only views of ``blob``)."""
    import numpy as np

    count, width, keep = _HEAD.unpack_from(blob)
    offset = _HEAD.size
    entry_ids = np.frombuffer(blob, np.int64, count, offset)
    offset += 8 * count
    news = np.frombuffer(blob, np.int64, count * width, offset).reshape(count, width)
    offset += 8 * count * width
    olds = None
    if keep:
        olds = np.frombuffer(blob, np.int64, count * width, offset).reshape(count, width)
        offset += 8 * count * width
    rows = np.frombuffer(blob, np.int32, count, offset)
    return Page(rows, entry_ids, news, olds)
