"""Judge the regular rows of a monev sheet a column at a time, and keep valid rows as columns.

Most rows of a large sheet are regular: a known code written as text and plain numbers in
range (or an empty optional cell). Those are recognised per column with a few array
operations and checked across columns by one call for the whole chunk; every other row is
handed back to be judged cell by cell, with the messages only that road writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, is_, is_not, itemgetter
from typing import NamedTuple


class Column(NamedTuple):
    key: str
    col: int
    kind: str
    min: float | None
    max: float | None
    required: bool
    header: str
    percent: bool
    low: float  # min, or -inf: one comparison in the hot loop
    high: float
    fast: bool = True  # a float cell is the value as it stands, times ``factor``
    factor: float = 1.0  # 100 when every number of the column is a percent-formatted fraction


class MonevRow(NamedTuple):
    """One valid row matched to an entrant; values keyed by indicator, percent in 0–100.

    ``values`` holds the indicator columns found in the file (``None`` = left empty).
    """

    row_number: int
    entrant_code: str
    values: dict[str, float | None]


RowsCheck = Callable[[Mapping[str, object]], object]  # columns → positions that may fail


@dataclass
class RowTable:
    """Valid rows as columns: row numbers, entrant codes and an n × k float array of values
    in ``keys`` order (NaN: the cell was left empty)."""

    keys: list[str]
    numbers: object  # int64 array
    codes: list[str]
    values: object  # float64 array, n × len(keys)

    def __len__(self) -> int:
        return len(self.codes)

    def as_rows(self) -> list[MonevRow]:
        """The rows as :class:`MonevRow` (small files, tests, the CLI's lists)."""
        return [MonevRow(n, code, {key: None if v != v else v for key, v in zip(
                    self.keys, values, strict=True)})
                for n, code, values in zip(self.numbers.tolist(), self.codes,
                                           self.values.tolist(), strict=True)]


def empty_table(keys: list[str]) -> RowTable:
    import numpy as np

    return RowTable(keys, np.empty(0, np.int64), [], np.empty((0, len(keys))))


def table_of(keys: list[str], parts: list[RowTable], slow: list[MonevRow]) -> RowTable:
    """The regular chunks and the rows judged one by one, merged in row order."""
    import numpy as np

    if slow:
        values = [[None if (v := row.values.get(key)) is None else float(v) for key in keys]
                  for row in slow]
        parts = [*parts, RowTable(
            keys, np.fromiter((r.row_number for r in slow), np.int64, len(slow)),
            [r.entrant_code for r in slow],
            np.array(values, dtype=np.float64).reshape(len(slow), len(keys)))]
    if not parts:
        return empty_table(keys)
    numbers = np.concatenate([p.numbers for p in parts])
    codes = [code for p in parts for code in p.codes] if len(parts) > 1 else parts[0].codes
    values = np.concatenate([p.values for p in parts])
    if len(parts) > 1:
        order = np.argsort(numbers, kind="stable")
        numbers, values = numbers[order], values[order]
        codes = list(map(codes.__getitem__, order.tolist()))
    return RowTable(keys, numbers, codes, values)


def known_codes(cells: Sequence[object], exact: Mapping[str, str],
                by_code: Mapping[str, str]) -> list[str | None]:
    """The entrant code of each cell written as text, None for anything else: as enrolled
    (``exact``), else after trimming and case folding (``by_code``)."""
    found = list(map(exact.get, cells))
    if all(found):  # codes are never empty: no None
        return found
    return [code if code is not None else by_code.get(c.strip().casefold())
            if type(c) is str else None for code, c in zip(found, cells, strict=True)]


def column_values(cells: Sequence[object], c: Column, no_formulas: bool):
    """(values, regular, filled) of one indicator column: floats (NaN: empty), whether each
    cell can be taken as it stands, and whether it holds a number."""
    import numpy as np

    n = len(cells)
    kinds = set(map(type, cells))
    if kinds == {float}:
        floats = np.ones(n, bool)
        found = cells
    else:
        floats = np.fromiter(map(is_, map(type, cells), repeat(float)), bool, n)
        found = list(compress(cells, floats.tolist()))
    values = np.full(n, np.nan)
    filled = np.zeros(n, bool)
    if c.fast and found:
        if c.factor != 1.0:
            found = [round(v * c.factor, 10) for v in found]
        values[floats] = np.array(found, dtype=np.float64)
        filled = floats & (values >= c.low) & (values <= c.high)
        if c.kind == "int":
            filled &= np.isfinite(values) & (values == np.floor(values))
    if not no_formulas or c.required or str not in kinds:
        return values, filled, filled
    empty = np.fromiter(map(eq, cells, repeat("")), bool, n)
    return values, filled | empty, filled


def regular_rows(data: Sequence[Sequence[object]], *, code_column: int,
                 exact: Mapping[str, str], by_code: Mapping[str, str],
                 columns: Sequence[Column], no_formulas: bool, check: RowsCheck | None):
    """Split a chunk of rows: (the regular rows' positions, codes and values; every other
    position). A regular row also passes ``check``, the method's rule across columns."""
    import numpy as np

    n = len(data)
    codes = known_codes(list(map(itemgetter(code_column), data)), exact, by_code)
    regular = np.fromiter(map(is_not, codes, repeat(None)), bool, n)
    filled = np.zeros(n, bool)
    values = np.empty((n, len(columns)))
    for j, c in enumerate(columns):
        values[:, j], ok, full = column_values(list(map(itemgetter(c.col), data)), c,
                                               no_formulas)
        regular &= ok
        filled |= full
    regular &= filled
    positions = np.flatnonzero(regular)
    if check is not None and len(positions):
        flagged = np.asarray(list(check({c.key: values[positions, j]
                                         for j, c in enumerate(columns)})), dtype=np.int64)
        if len(flagged):
            regular[positions[flagged]] = False
            positions = np.flatnonzero(regular)
    if len(positions) < n:
        codes = list(map(codes.__getitem__, positions.tolist()))
    return positions, codes, values[positions], np.flatnonzero(~regular).tolist()


def each_row(rule: Callable) -> RowsCheck:
    """A check of whole columns made of a rule for one row (``values -> list of errors``)."""

    def check(columns: Mapping[str, object]):
        keys = list(columns)
        for i, row in enumerate(zip(*(col.tolist() for col in columns.values()), strict=True)):
            if rule({key: None if v != v else v for key, v in zip(keys, row, strict=True)}):
                yield i

    return check
