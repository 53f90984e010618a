"""The few facts calamine does not report, read from a workbook's XML directly.

Calamine gives values only: a formula with no saved result looks like an empty cell, and
a fraction formatted as "87%" looks like 0.87. These helpers answer exactly those two
questions for one sheet, by regular expressions over the sheet XML (fast, no tree built)
and ``defusedxml`` for the small workbook, relationship and style parts. Coordinates are
0-based ``(row, column)`` like calamine's.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from io import BytesIO

from defusedxml import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}
_QUOTED = re.compile(r'"[^"]*"|\\.')
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>'
)
_STR_TYPE = re.compile(rb'\bt="str"')


class SheetXml:
    """One sheet's raw XML plus the workbook's percent styles, loaded lazily."""

    def __init__(self, data: bytes, sheet_name: str,
                 formula_parts: frozenset[str] | None = None) -> None:
        self._zip = zipfile.ZipFile(BytesIO(data))
        self._path = sheet_path(self._zip, sheet_name)
        self._xml: bytes | None = None
        self._formula_parts = formula_parts  # parts known to hold "<f", when known
        self._formulas: set[tuple[int, int]] | None = None
        self._percent: set[tuple[int, int]] | None = None

    def xml(self) -> bytes:
        """The sheet's XML; inflated on first use because most imports never need it."""
        if self._xml is None:
            self._xml = self._zip.read(self._path) if self._path else b""
        return self._xml

    def formula_cells_without_value(self) -> set[tuple[int, int]]:
        """Cells holding a formula whose result was never saved (calamine shows '')."""
        if self._formulas is None:
            self._formulas = self._find_formulas()
        return self._formulas

    def percent_cells(self) -> set[tuple[int, int]]:
        """Cells whose number format shows a percent sign."""
        if self._percent is None:
            self._percent = self._find_percent()
        return self._percent

    def _find_formulas(self) -> set[tuple[int, int]]:
        if self._formula_parts is not None and self._path not in self._formula_parts:
            return set()
        xml = self.xml()
        if b"<f" not in xml:
            return set()
        found = set()
        for match in _FORMULA_CELL.finditer(xml):
            if match.group(4) and _STR_TYPE.search(match.group(3)):
                continue  # a saved empty-text result, not a missing one
            found.add((int(match.group(2)) - 1, column_index(match.group(1))))
        return found

    def _find_percent(self) -> set[tuple[int, int]]:
        styles = percent_styles(self._zip)
        if not styles:
            return set()
        ids = b"|".join(str(s).encode() for s in sorted(styles))
        pattern = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + ids + rb')"')
        return {
            (int(m.group(2)) - 1, column_index(m.group(1))) for m in pattern.finditer(self.xml())
        }


def sheet_path(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip path of the worksheet called ``sheet_name``, following workbook relations."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(f"{_REL}id")
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return None
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indices of cell styles (``s=`` attribute) whose number format contains ``%``."""
    try:
        root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {
        int(fmt.get("numFmtId", -1)): fmt.get("formatCode", "")
        for fmt in root.iter(f"{_MAIN}numFmt")
    }
    percent_ids = set(_BUILTIN_PERCENT)
    percent_ids.update(i for i, code in custom.items() if "%" in _QUOTED.sub("", code))
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    if cell_xfs is None:
        return set()
    return {
        index
        for index, xf in enumerate(cell_xfs.iter(f"{_MAIN}xf"))
        if int(xf.get("numFmtId", 0)) in percent_ids
    }


def column_index(letters: bytes | str) -> int:
    """0-based index of a column written as letters ("A" → 0, "AA" → 26)."""
    if isinstance(letters, bytes):
        letters = letters.decode()
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1
