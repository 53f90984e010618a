"""Which enrolled entrant a monev row is about: by code, else by exact name.

A row that names no one known gets a problem in both languages and, when a name is
close (Kel. → Kelurahan, a typo), a suggestion the organizer must confirm. difflib over
every entrant is slow, so only the first few hundred unknown names get a fuzzy search;
exact matches after expanding abbreviations are always tried.
"""

from __future__ import annotations

from judging.io.monev.match import EntrantIndex, Header, code_key, name_key

MAX_FUZZY_SUGGESTIONS = 200

Problem = tuple[int, str, str, str]
Found = tuple[str | None, Problem | None, tuple[int, str, str, str] | None]


class EntrantMatcher:
    """Identifies the entrant of each row of one sheet."""

    def __init__(self, header: Header, index: EntrantIndex) -> None:
        self.header = header
        self.index = index
        self._fuzzy_left = MAX_FUZZY_SUGGESTIONS

    def identify(self, row, n: int = 0) -> Found:
        """(code or None, problem or None, suggestion or None) for row number ``n``.

        ``n=0`` asks only "is this a known entrant?" and never spends a suggestion.
        """
        h, index = self.header, self.index
        code_cell = row[h.code_column] if h.code_column is not None else ""
        name_cell = row[h.name_column] if h.name_column is not None else ""
        name = " ".join(str(name_cell).split()) if name_cell != "" else ""
        if code_cell != "" and str(code_cell).strip():
            code = index.by_code.get(code_key(code_cell))
            if code is not None:
                return code, None, None
            shown = code_key(code_cell) if isinstance(code_cell, float) else str(code_cell).strip()
            problem = (n, h.texts[h.code_column], f"kode '{shown}' tidak terdaftar di kategori ini",
                       f"code '{shown}' is not enrolled in this category")
            return None, problem, self._suggest(n, name)
        if not name:
            return None, (n, "", "kode dan nama peserta kosong",
                          "entrant code and name are empty"), None
        codes = index.by_name.get(name_key(name))
        column = h.texts[h.name_column]
        if codes and len(codes) == 1:
            return codes[0], None, None
        if codes:
            return None, (n, column, f"nama '{name}' cocok dengan {len(codes)} peserta; isi kolom "
                          "Kode", f"name '{name}' matches {len(codes)} entrants; fill in the "
                          "Kode column"), None
        suggestion = self._suggest(n, name)
        if suggestion:
            _, _, code, full = suggestion
            return None, (n, column, f"'{name}' tidak ditemukan; mungkin maksudnya '{full}' "
                          f"({code})? Perbaiki nama atau isi kolom Kode",
                          f"'{name}' was not found; did you mean '{full}' ({code})? Correct "
                          "the name or fill in the Kode column"), suggestion
        return None, (n, column, f"peserta '{name}' tidak terdaftar di kategori ini",
                      f"entrant '{name}' is not enrolled in this category"), None

    def _suggest(self, n: int, name: str) -> tuple[int, str, str, str] | None:
        if not name or n == 0:
            return None
        exact = self.index.by_name.get(name_key(name))
        if exact and len(exact) == 1:
            code = exact[0]
        elif self._fuzzy_left > 0:
            self._fuzzy_left -= 1
            code = self.index.suggest(name)
        else:
            return None
        return (n, name, code, self.index.names[code]) if code is not None else None

