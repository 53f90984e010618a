"""A quick guess of a workbook's row count, to decide whether to read it in the background.

Reads only the first bytes of each worksheet part: the ``<dimension ref="A1:G100001"/>``
Excel and LibreOffice write near the top. Files without it (some generators) are
estimated from the sheet's unpacked size. Call after the safety check has passed.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import NamedTuple

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')
HEAD_BYTES = 4096
BYTES_PER_ROW = 120  # a plain row of a dozen numbers in sheet XML, rounded down
HEADER_SLACK = 20  # title rows above the header may precede the data rows


class RowEstimate(NamedTuple):
    """Rows of the largest sheet; ``exact`` when read from its dimension, not its size."""

    rows: int
    exact: bool


def estimated_rows(data: bytes) -> RowEstimate:
    """The largest worksheet's last row number, or an estimate from its size."""
    best = RowEstimate(0, True)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as handle:
                head = handle.read(HEAD_BYTES)
            match = _DIMENSION.search(head)
            guess = (RowEstimate(int(match.group(1)), True) if match
                     else RowEstimate(info.file_size // BYTES_PER_ROW, False))
            best = max(best, guess)
    return best
