"""The words a workbook writes, in the language of the person who asked for it.

``io`` cannot reach the catalogue, so the app hands each writer a mapping from the
Indonesian text (the catalogue's msgid) to the reader's text; without one the file is
Indonesian, the text as written in the code.
"""

from __future__ import annotations

from collections.abc import Mapping


class Words:
    """``words("Peringkat %(name)s", name=…)``: the reader's text, %-filled."""

    def __init__(self, table: Mapping[str, str] | None = None, lang: str = "id") -> None:
        self.table = dict(table or {})
        self.lang = lang

    def __call__(self, text: str, **values) -> str:
        said = self.table.get(text) or text
        return said % values if values else said


INDONESIAN = Words()
