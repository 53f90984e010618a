"""Find the header row of a monev sheet and match rows to entrants by code or name.

Headers and names are compared after :func:`header_key` / :func:`name_key`: case, spaces
and punctuation do not count, so "NILAI S.A.Q." is "Nilai SAQ". Names match *exactly*
after that; abbreviations (Kel., Kec., Kab., Ds.) are expanded only to *suggest* an
entrant, which the organizer must confirm — a guess is never applied.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from judging.io.monev.mapping import IGNORE, HeaderMapping, HeaderMatcher, header_key

HEADER_SCAN_ROWS = 20
SUGGESTION_CUTOFF = 0.85
_NON_WORD = re.compile(r"[\W_]+")
_CODE_HEADERS = frozenset({"kode", "kd", "id", "kodeid"})
_NAME_HEADERS = frozenset(
    {"peserta", "badanpublik", "kelurahan", "desa", "kecamatan", "opd", "instansi",
     "perangkatdaerah", "skpd", "unitkerja", "lembaga", "entrant", "name"}
)
TOTAL_LABELS = frozenset(
    {"jumlah", "total", "jumlahtotal", "grandtotal", "totalkeseluruhan", "jumlahkeseluruhan",
     "ratarata", "rerata", "subtotal"}
)
_ABBREVIATIONS = {
    "kel": "kelurahan", "kec": "kecamatan", "kab": "kabupaten", "ds": "desa",
    "kota": "kota", "pemkab": "pemerintah kabupaten", "pemkot": "pemerintah kota",
}


def name_key(text: object) -> str:
    """Compare-key of an entrant name: lower case, punctuation gone, single spaces."""
    return " ".join(_NON_WORD.sub(" ", str(text).casefold()).split())


def expanded_name_key(text: object) -> str:
    """:func:`name_key` with Kel./Kec./Kab./Ds. written out, used only for suggestions."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in name_key(text).split())


def code_key(value: object) -> str:
    """Compare-key of an entrant code; calamine's 101.0 is the code "101"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().casefold()


@dataclass(frozen=True)
class Header:
    """Where the header is and what each column means (column indices within the row)."""

    row_index: int
    indicator_columns: dict[str, int]  # indicator key -> column index
    code_column: int | None
    name_column: int | None
    texts: dict[int, str]  # column index -> header text as written
    duplicates: dict[str, list[str]]  # indicator key -> headers seen twice or more
    mapping: list[HeaderMapping] = field(default_factory=list)  # every header, in order

    @property
    def entrant_columns(self) -> tuple[int, ...]:
        return tuple(c for c in (self.code_column, self.name_column) if c is not None)

    @property
    def proposals(self) -> list[HeaderMapping]:
        return [m for m in self.mapping if m.reason == "proposed"]


def find_header(rows: Sequence[Sequence[object]], indicators,
                choices: Mapping[str, str] | None = None,
                remembered: Mapping[str, str] | None = None) -> Header | None:
    """The row among the first 20 with an entrant column and the most indicator headers.

    Headers only similar to an indicator count too (after exact ones), so a sheet whose
    headers are all unfamiliar still gets a preview where they can be confirmed.
    """
    matcher = HeaderMatcher(indicators, choices, remembered)
    best, best_rank = None, (0, 0)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        header = _read_header(index, row, matcher)
        if header is None:
            continue
        rank = (len(header.indicator_columns), len(header.proposals))
        if rank > best_rank:
            best, best_rank = header, rank
    return best


def _read_header(index: int, row: Sequence[object], matcher: HeaderMatcher) -> Header | None:
    texts = {col: " ".join(cell.split()) for col, cell in enumerate(row)
             if isinstance(cell, str) and cell.strip()}
    code = name = None
    for col, text in texts.items():
        if matcher.chosen(text) is not None:
            continue
        key = header_key(text)
        if code is None and (key in _CODE_HEADERS or key.startswith("kode")):
            code = col
        elif name is None and (key in _NAME_HEADERS or key.startswith("nama")):
            name = col
    if code is None and name is None:
        return None
    mapping: list[HeaderMapping] = []
    columns: dict[str, int] = {}
    duplicates: dict[str, list[str]] = {}
    for col, text in texts.items():
        if col in (code, name):
            mapping.append(HeaderMapping(col, text, "code" if col == code else "name", "entrant"))
            continue
        found = matcher.match(col, text)
        mapping.append(found)
        if found.target == IGNORE:
            continue
        if found.target in columns:
            duplicates.setdefault(found.target, [texts[columns[found.target]]]).append(text)
        else:
            columns[found.target] = col
    return Header(index, columns, code, name, texts, duplicates, mapping)


class EntrantIndex:
    """Entrants of a category, looked up by code, exact name, or suggested by near name.

    Name indexes are built on first use: a file matched by code never pays for them.
    """

    def __init__(self, entrants: Sequence[tuple[str, str]] = (), *,
                 codes: Sequence[str] | None = None,
                 names: Callable[[], Mapping[str, str]] | None = None) -> None:
        """``entrants`` as (code, name) pairs, or ``codes`` and a ``names`` loader returning
        ``{code: name}``, called only when a name is needed (a file matched by code, with
        no duplicate and no suggestion, never needs one)."""
        if codes is None or names is None:
            codes = [code for code, _ in entrants]
            pairs = dict(entrants)
            names = lambda: pairs  # noqa: E731
        self.codes = codes
        self._load_names = names
        self.exact = dict(zip(codes, codes, strict=True))  # codes as enrolled
        self.by_code = dict(zip(map(str.casefold, map(str.strip, map(str, codes))), codes,
                                strict=True))
        self._name_of: Mapping[str, str] | None = None
        self._by_name: dict[str, list[str]] | None = None
        self._by_expanded: dict[str, list[str]] | None = None

    @property
    def names(self) -> Mapping[str, str]:
        """Each entrant's name by code."""
        if self._name_of is None:
            self._name_of = self._load_names()
        return self._name_of

    @property
    def entrants(self) -> list[tuple[str, str]]:
        names = self.names
        return [(code, names.get(code, "")) for code in self.codes]

    @property
    def by_name(self) -> dict[str, list[str]]:
        if self._by_name is None:
            self._by_name = _group(self.entrants, name_key)
        return self._by_name

    @property
    def by_expanded(self) -> dict[str, list[str]]:
        if self._by_expanded is None:
            self._by_expanded = _group(self.entrants, expanded_name_key)
        return self._by_expanded

    def suggest(self, written: str) -> str | None:
        """The code of the one entrant whose name is close to ``written``, if any."""
        key = expanded_name_key(written)
        codes = self.by_expanded.get(key)
        if codes:
            return codes[0] if len(codes) == 1 else None
        close = difflib.get_close_matches(key, self.by_expanded, n=2, cutoff=SUGGESTION_CUTOFF)
        if len(close) == 1 and len(self.by_expanded[close[0]]) == 1:
            return self.by_expanded[close[0]][0]
        return None


def _group(entrants: Sequence[tuple[str, str]], key) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for code, name in entrants:
        grouped.setdefault(key(name), []).append(code)
    return grouped
