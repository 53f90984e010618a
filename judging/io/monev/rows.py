"""Judge the data rows under a monev header: entrant, each value, the row as a whole.

Regular rows of a 100,000-row import (codes written as text, plain floats, what calamine
gives for numeric cells) are judged a column at a time in :mod:`judging.io.monev.columns`;
every other row goes through :func:`~judging.io.xlsx.numbers.parse_number` and the full
entrant lookup here. Problems are plain tuples here; the reader wraps them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import NamedTuple

from judging.io.monev.columns import Column, MonevRow, RowsCheck, RowTable, regular_rows, table_of
from judging.io.monev.entrants import EntrantMatcher
from judging.io.monev.match import TOTAL_LABELS, EntrantIndex, Header, header_key
from judging.io.xlsx.numbers import NumberError, format_number, fraction_column, parse_number
from judging.io.xlsx.safety import WorkbookRefused
from judging.io.xlsx.xml import SheetXml

PROGRESS_EVERY = 5_000


def _column(indicator, col: int, text: str) -> Column:
    low = -math.inf if indicator.min is None else indicator.min
    high = math.inf if indicator.max is None else indicator.max
    return Column(indicator.key, col, indicator.type, indicator.min, indicator.max,
                  indicator.required, text, indicator.hundred, low, high)


class ScaleQuestion(NamedTuple):
    """A 0–100 column holding both fractions (0.92) and 0–100 numbers (91): which is it?

    Until answered the batch cannot be stored; ``fractions`` and ``hundreds`` count cells
    of each kind and ``example_*`` show one of each (row number, value as written).
    """

    key: str
    header: str
    fractions: int
    hundreds: int
    example_fraction: tuple[int, float]
    example_hundred: tuple[int, float]


@dataclass
class RowsResult:
    rows: list[MonevRow] = field(default_factory=list)  # rows judged one by one, valid
    table: RowTable | None = None  # every valid row, after reading
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    suggestions: list[tuple[int, str, str, str]] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # entrant code -> first row
    rows_read: int = 0
    skipped: list[int] = field(default_factory=list)
    questions: list[ScaleQuestion] = field(default_factory=list)


class RowReader:
    """Reads one sheet's data rows against a header, entrants and a row validator."""

    def __init__(self, *, xml: SheetXml, sheet, header: Header, indicators,
                 index: EntrantIndex, validate_row: Callable | None, progress: Callable | None,
                 max_rows: int | None = None,
                 scales: dict[str, str] | None = None,
                 check_rows: RowsCheck | None = None) -> None:
        self.header = header
        self.index = index
        self.validate_row = validate_row
        self.progress = progress
        self.xml = xml
        self.col_offset = sheet.start[1] if sheet.start else 0
        by_key = {i.key: i for i in indicators}
        self.columns = [
            _column(by_key[key], col, header.texts[col])
            for key, col in sorted(header.indicator_columns.items(), key=lambda kv: kv[1])
        ]
        self.texts = {c.key: c.header for c in self.columns}
        self.relevant = list(header.entrant_columns) + [c.col for c in self.columns]
        self.entrant_header = header.texts[
            header.code_column if header.code_column is not None else header.name_column
        ]
        self.code_column = header.code_column
        self.first_row: dict[str, int] = {}
        self.seen_rows: list[tuple[int, str]] = []  # (row, code) of rows judged one by one
        self.parts: list[RowTable] = []  # the regular rows of each chunk
        self.check_rows = check_rows
        self.duplicates: dict[str, list[int]] = {}
        self._formulas: set[tuple[int, int]] | None = None
        self.no_formulas = False
        self.percent_cells: set[tuple[int, int]] = set()
        self.fraction: dict[str, bool] = {}
        self.result = RowsResult()
        self.matcher = EntrantMatcher(header, index)
        self.max_rows = max_rows
        self.scales = scales or {}

    def read(self, rows: Sequence[Sequence[object]]) -> RowsResult:
        """Judge every row under the header; return valid rows, problems and counts."""
        start, end = self._data_range(rows)
        if self.max_rows is not None and end - start > self.max_rows:
            raise too_many_rows(end - start, self.max_rows)
        self._prepare_percent(rows, start, end)
        self.hot = [(c.key, c.col, c.kind == "int", c.low, c.high, c.fast, c.factor, c)
                    for c in self.columns]
        self.no_formulas = not self._formula_cells()
        total = end - start
        for chunk in range(start, end, PROGRESS_EVERY):
            self._read_rows(rows, chunk, min(chunk + PROGRESS_EVERY, end))
            if self.progress:
                self.progress(min(chunk + PROGRESS_EVERY, end) - start, total)
        self._register_entrants()
        self.result.table = table_of([c.key for c in self.columns], self.parts, self.result.rows)
        self._reject_duplicates()
        self.result.seen = self.first_row
        entrant_texts = {self.header.texts[c] for c in self.header.entrant_columns} | {""}
        self.result.problems.sort(key=lambda p: (p[0], p[1] not in entrant_texts))
        self.result.skipped.sort()
        return self.result

    def _read_rows(self, rows, start: int, end: int) -> None:
        """Regular rows (a known text code, plain in-range floats, the method's rule met)
        are taken a column at a time; every other row is judged cell by cell in _row."""
        data = rows[start:end]
        if self.code_column is None:
            for i, row in enumerate(data, start=start):
                self._row(i, row)  # a blank row fills nothing and names no one: dropped there
            return
        positions, codes, values, others = regular_rows(
            data, code_column=self.code_column, exact=self.index.exact,
            by_code=self.index.by_code,
            columns=self.columns, no_formulas=self.no_formulas, check=self.check_rows)
        if codes:
            self.parts.append(RowTable([c.key for c in self.columns], positions + (start + 1),
                                       codes, values))
            self.result.rows_read += len(codes)
        for i in others:
            self._row(start + i, data[i])

    def _register_entrants(self) -> None:
        """Each entrant's first row, and the rows of entrants named more than once."""
        import numpy as np

        numbers = np.concatenate([p.numbers for p in self.parts]).tolist() if self.parts else []
        codes = [code for p in self.parts for code in p.codes]
        first_row = dict(zip(reversed(codes), reversed(numbers), strict=True))
        for n, code in self.seen_rows:
            if first_row.setdefault(code, n) > n:
                first_row[code] = n
        if len(first_row) < len(codes) + len(self.seen_rows):
            for n, code in sorted([*zip(numbers, codes, strict=True), *self.seen_rows]):
                if first_row[code] != n:
                    self.duplicates.setdefault(code, [first_row[code]]).append(n)
        self.first_row = first_row

    # -- which rows are data ----------------------------------------------------

    def _data_range(self, rows) -> tuple[int, int]:
        start, end = self.header.row_index + 1, len(rows)
        while end > start and (self._blank(rows[end - 1]) or self._is_total(rows[end - 1])):
            if not self._blank(rows[end - 1]):
                self.result.skipped.append(end)
            end -= 1
        if start < end and self._is_guidance(rows[start]):
            self.result.skipped.append(start + 1)
            start += 1
        return start, end

    def _blank(self, row) -> bool:
        for col in self.relevant:
            value = row[col]
            if value != "" and not (type(value) is str and not value.strip()):
                return False
        return True

    def _is_total(self, row) -> bool:
        indicator_cols = {c.col for c in self.columns}
        return any(
            isinstance(v, str) and header_key(v) in TOTAL_LABELS
            for col, v in enumerate(row)
            if col not in indicator_cols
        )

    def _is_guidance(self, row) -> bool:
        """A units/guidance or column-numbering row: no known entrant, no number anywhere."""
        if self.matcher.identify(row)[0] is not None:
            return False
        for c in self.columns:
            try:
                if parse_number(row[c.col]) is not None:
                    return False
            except NumberError:
                continue
        return True

    # -- percent columns --------------------------------------------------------

    def _prepare_percent(self, rows, start: int, end: int) -> None:
        """Decide per 0–100 column how plain numbers read: as written, or fractions ×100.

        Percent-formatted cells and "91,02%" texts are unambiguous. Plain numbers that are
        all fractions are a fraction column; plain fractions beside plain 0–100 numbers are
        a question for the organizer, read as written until answered.
        """
        if any(c.percent for c in self.columns):
            self.percent_cells = self.xml.percent_cells()
        data = rows[start:end]
        for n, c in enumerate(self.columns):
            if not c.percent:
                continue
            formatted = {i for i, col in self.percent_cells if col == c.col + self.col_offset}
            fractions, hundreds = self._plain_numbers(data, start, c, formatted)
            answer = self.scales.get(c.key)
            inside = [f for f in fractions if f[1] < 1]
            if inside and hundreds and answer is None:
                self.result.questions.append(ScaleQuestion(
                    c.key, c.header, len(fractions), len(hundreds), inside[0], hundreds[0]))
            fraction = bool(fractions) and (answer == "fraction" or (
                not hundreds and answer != "as_written" and fraction_column(
                    v for _, v in fractions)))
            self.fraction[c.key] = fraction
            uniform = bool(formatted) and not fraction and all(
                i in formatted for i, row in enumerate(data, start=start)
                if type(row[c.col]) is float)
            self.columns[n] = c._replace(
                fast=uniform or (not fraction and not formatted),
                factor=100.0 if uniform else 1.0)

    def _plain_numbers(self, data, start: int, c: Column, formatted: set[int]):
        """(row, value) of plain fractions in (0, 1] and of plain numbers above 1."""
        fractions: list[tuple[int, float]] = []
        hundreds: list[tuple[int, float]] = []
        for i, row in enumerate(data, start=start):
            value = row[c.col]
            if i in formatted or (type(value) is str and value.strip().endswith("%")):
                continue
            try:
                number = value if type(value) is float else parse_number(value)
            except NumberError:
                continue
            if number is None or number <= 0:
                continue
            (fractions if number <= 1 else hundreds).append((i + 1, number))
        return fractions, hundreds

    def _percent(self, i: int, c: Column, value) -> float | None:
        formatted = (i, c.col + self.col_offset) in self.percent_cells
        number = parse_number(value, "percent", percent_format=formatted)
        written_pct = type(value) is str and value.strip().endswith("%")
        if (number is not None and self.fraction[c.key] and not formatted and not written_pct
                and 0 <= number <= 1):
            number = round(number * 100, 10)
        return number

    # -- one row ----------------------------------------------------------------

    def _row(self, i: int, row) -> None:
        n = i + 1
        problems: list[tuple[int, str, str, str]] = []
        values: dict[str, float | None] = {}
        missing: list[Column] = []
        filled = False
        for key, col, whole, low, high, fast, factor, c in self.hot:
            value = row[col]
            if type(value) is float and fast and factor != 1.0:
                value = round(value * factor, 10)
            if type(value) is float and fast and (not whole or value.is_integer()):
                values[key] = value
                filled = True
                if value < low or value > high:
                    problems.append(_range_problem(n, c, value))
            elif value == "" and self.no_formulas:
                values[key] = None
                if c.required:
                    missing.append(c)
            elif self._cell(i, c, value, values, problems, missing):
                filled = True
        cell = row[self.code_column] if self.code_column is not None else None
        code = self.index.by_code.get(cell.strip().casefold()) if type(cell) is str else None
        if code is None:
            code, entrant_problem, suggestion = self.matcher.identify(row, n)
            if filled:
                self._add_row_problems(n, problems, entrant_problem, suggestion)
        if not filled:
            if code is not None:
                self.result.skipped.append(n)
            return
        self.result.rows_read += 1
        if missing:
            problems.extend((n, c.header, "wajib diisi", "is required") for c in missing)
        if not problems and self.validate_row is not None:
            for error in self.validate_row(values):
                problems.append((n, self.texts.get(error.column, ""), error.message_id,
                                 error.message_en))
        if code is not None:
            self.seen_rows.append((n, code))
        if problems:
            self.result.problems.extend(_prefixed(p) for p in problems)
        elif code is not None:
            self.result.rows.append(MonevRow(n, code, values))

    def _cell(self, i: int, c: Column, value, values, problems, missing) -> bool:
        """The slow road for one cell: text, empty, percent, wrong type. True if filled."""
        n = i + 1
        if value == "":
            values[c.key] = None
            if (i, c.col + self.col_offset) in self._formula_cells():
                problems.append(_formula_problem(n, c.header))
                return True
            if c.required:
                missing.append(c)
            return False
        try:
            number = self._percent(i, c, value) if c.percent else parse_number(value, c.kind)
        except NumberError as exc:
            problems.append((n, c.header, exc.message_id, exc.message_en))
            return True
        values[c.key] = number
        if number is None:
            if c.required:
                missing.append(c)
            return False
        if number < c.low or number > c.high:
            problems.append(_range_problem(n, c, number))
        return True

    def _add_row_problems(self, n, problems, entrant_problem, suggestion) -> None:
        if entrant_problem:
            problems.insert(0, entrant_problem)
        if suggestion:
            self.result.suggestions.append(suggestion)

    def _formula_cells(self) -> set[tuple[int, int]]:
        if self._formulas is None:
            self._formulas = self.xml.formula_cells_without_value()
        return self._formulas

    # -- entrants ---------------------------------------------------------------

    def _reject_duplicates(self) -> None:
        result, duplicated = self.result, self.duplicates
        if not duplicated:
            return
        table = result.table
        keep = [code not in duplicated for code in table.codes]
        result.table = RowTable(table.keys, table.numbers[keep], list(compress(table.codes, keep)),
                                table.values[keep])
        for code, rows in duplicated.items():
            shown = ", ".join(str(r) for r in rows)
            name = self.index.names[code]
            for r in rows:
                result.problems.append(_prefixed((
                    r, self.entrant_header,
                    f"peserta {code} ({name}) muncul lebih dari sekali: baris {shown}",
                    f"entrant {code} ({name}) appears more than once: rows {shown}",
                )))


def _prefixed(problem: tuple[int, str, str, str]) -> tuple[int, str, str, str]:
    n, column, msg_id, msg_en = problem
    if column:
        return n, column, f"Baris {n}, kolom '{column}': {msg_id}", \
            f"Row {n}, column '{column}': {msg_en}"
    return n, column, f"Baris {n}: {msg_id}", f"Row {n}: {msg_en}"


def _formula_problem(n: int, column: str) -> tuple[int, str, str, str]:
    return (n, column,
            "berisi rumus tanpa hasil tersimpan; buka berkas di Excel, hitung ulang dan simpan",
            "holds a formula with no saved result; open the file in Excel, recalculate and "
            "save it")


def _range_problem(n: int, c: Column, number: float) -> tuple[int, str, str, str]:
    shown_id, shown_en = format_number(number, "id"), format_number(number, "en")
    if c.min is not None and number < c.min:
        low_id, low_en = format_number(c.min, "id"), format_number(c.min, "en")
        return (n, c.header, f"{shown_id} kurang dari batas minimum {low_id}",
                f"{shown_en} is below the minimum {low_en}")
    high_id, high_en = format_number(c.max, "id"), format_number(c.max, "en")
    return (n, c.header, f"{shown_id} lebih besar dari batas maksimum {high_id}",
            f"{shown_en} is above the maximum {high_en}")


def too_many_rows(count: int, limit: int, *, about: bool = False) -> WorkbookRefused:
    """A sheet over the row limit; ``count`` is its data rows (``about``: all its rows)."""
    n_id, n_en = format_number(count, "id"), format_number(count, "en")
    l_id, l_en = format_number(limit, "id"), format_number(limit, "en")
    if about:
        return WorkbookRefused(
            f"Lembar berisi sekitar {n_id} baris, melebihi batas {l_id} baris data.",
            f"The sheet holds about {n_en} rows, over the limit of {l_en} data rows.",
        )
    return WorkbookRefused(
        f"Lembar berisi {n_id} baris data, melebihi batas {l_id} baris data.",
        f"The sheet holds {n_en} data rows, over the limit of {l_en} data rows.",
    )
