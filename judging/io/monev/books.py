"""A monev workbook parsed once, and kept a while so judging it again does not parse it again.

The organizer's mapping or scale answers re-judge a previewed file: the cells are the same,
only their meaning changes. :func:`keep` holds the last parsed workbook (its safety facts,
the rows of the sheets looked at, the XML facts asked for) under the file's SHA-256 for a
few minutes, in this process only; :func:`kept` returns it, or None when it is gone or was
parsed by another process, and the caller parses the file again.
"""

from __future__ import annotations

import threading
import time
from io import BytesIO
from itertools import islice
from typing import NamedTuple

from judging.io.monev.match import HEADER_SCAN_ROWS
from judging.io.xlsx.safety import WorkbookFacts, WorkbookRefused, inspect_workbook
from judging.io.xlsx.xml import SheetXml

KEEP_SECONDS = 15 * 60

_kept: dict[str, tuple[float, ParsedBook]] = {}
_lock = threading.Lock()


class SheetRows(NamedTuple):
    """A worksheet's rows as calamine gives them; ``whole`` False: only its first rows."""

    name: str
    start: tuple[int, int] | None  # (row, column) of the first cell calamine reports
    end: tuple[int, int] | None
    rows: list[list[object]]
    whole: bool


class ParsedBook:
    """One workbook: checked on creation, its sheets converted to rows on first use."""

    def __init__(self, data: bytes, facts: WorkbookFacts | None = None) -> None:
        """``facts``: the safety pass already made on these very bytes (not made again)."""
        self.data = data
        self.facts: WorkbookFacts = facts or inspect_workbook(data)
        self._names: list[str] | None = None
        self._sheets: dict[str, SheetRows] = {}
        self._xml: dict[str, SheetXml] = {}
        self._workbook = None
        self._pending: dict[str, tuple] = {}  # sheet, its row iterator after the head
        self._converting = threading.Lock()  # a kept book may be read by two requests

    def worksheets(self) -> list[str]:
        """Names of the worksheets (not chart sheets), in workbook order."""
        with self._converting:
            if self._names is None:
                import python_calamine  # heavy: loaded on the first read, not at start-up

                workbook = self._open()
                self._names = [meta.name for meta in workbook.sheets_metadata
                               if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
            return self._names

    def head(self, name: str) -> SheetRows:
        """The sheet's first rows (all of them when it was read whole before)."""
        with self._converting:
            if name not in self._sheets:
                self._convert(name, whole=False)
            return self._sheets[name]

    def whole(self, name: str) -> SheetRows:
        """Every row of the sheet."""
        with self._converting:
            if not self._sheets.get(name, SheetRows("", None, None, [], False)).whole:
                self._convert(name, whole=True)
            return self._sheets[name]

    def sheet_xml(self, name: str) -> SheetXml:
        """The sheet's XML facts (formulas without results, percent cells), asked once."""
        if name not in self._xml:
            self._xml[name] = SheetXml(self.data, name, self.facts.formula_parts)
        return self._xml[name]

    def _open(self):
        import python_calamine

        if self._workbook is None:
            try:
                self._workbook = python_calamine.CalamineWorkbook.from_filelike(
                    BytesIO(self.data))
            except python_calamine.CalamineError as exc:
                raise damaged() from exc
        return self._workbook

    def _convert(self, name: str, *, whole: bool) -> None:
        """Convert a sheet's first rows, or the rest of them: calamine parses it once."""
        import python_calamine

        try:
            if name in self._pending:
                sheet, rows = self._pending[name]
                found = self._sheets[name].rows
            else:
                sheet = self._open().get_sheet_by_name(name)
                rows, found = sheet.iter_rows(), []
            found.extend(rows if whole else islice(rows, HEADER_SCAN_ROWS))
        except python_calamine.CalamineError as exc:
            raise damaged() from exc
        self._sheets[name] = SheetRows(name, sheet.start, sheet.end, found, whole)
        if whole:  # the sheet to judge is read: calamine's copies are no longer needed
            self._pending.clear()
            self._workbook = None
        else:
            self._pending[name] = (sheet, rows)


def damaged() -> WorkbookRefused:
    return WorkbookRefused(
        "Isi buku kerja tidak dapat dibaca (XML rusak); simpan ulang dari Excel.",
        "The workbook's content cannot be read (damaged XML); re-save it from Excel.",
    )


def keep(key: str, book: ParsedBook) -> None:
    """Hold ``book`` under ``key`` (the file's SHA-256) in place of any other kept one."""
    with _lock:
        _kept.clear()
        _kept[key] = (time.monotonic() + KEEP_SECONDS, book)


def kept(key: str) -> ParsedBook | None:
    """The book kept under ``key``, if it is still there (its time starts again)."""
    with _lock:
        until, book = _kept.get(key, (0.0, None))
        if book is None or until < time.monotonic():
            _kept.pop(key, None)
            return None
        _kept[key] = (time.monotonic() + KEEP_SECONDS, book)
        return book


def forget() -> None:
    """Drop the kept book (tests; memory)."""
    with _lock:
        _kept.clear()
