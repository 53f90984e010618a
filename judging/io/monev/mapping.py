"""What each header of a monev sheet means, and why: shown to the organizer, never guessed.

A header is an entrant column (code, name), an indicator by exact synonym, an indicator
the organizer chose (this time, or remembered for the category), or ignored. A header
that only *resembles* an indicator (abbreviations, units, word order; scored by
RapidFuzz) is *proposed* and stays ignored until confirmed. Companion columns ("% X",
"Persentase X", "Rasio X") are ignored and never taken for X.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

PROPOSE_AT = 75  # similarity (0–100) from which a header is proposed for an indicator
IGNORE = ""  # the organizer's choice "this column is not an indicator"
_WORD = re.compile(r"[^\W_]+|%")
_COMPANION_WORDS = {"persentase": "percent", "prosentase": "percent", "presentase": "percent",
                    "persen": "percent", "%": "percent", "rasio": "ratio", "ratio": "ratio"}
_ABBREVIATIONS = {
    "jml": "jumlah", "jlh": "jumlah", "lap": "laporan", "tl": "tindak lanjut",
    "rata2": "rata rata", "rerata": "rata rata", "avg": "rata rata", "wkt": "waktu",
    "resp": "respons", "respon": "respons", "response": "respons", "komen": "komentar",
    "web": "website", "situs": "website", "followers": "pengikut", "post": "unggahan",
    "postingan": "unggahan", "posting": "unggahan", "nil": "nilai", "skor": "nilai",
    "score": "nilai", "kuesioner": "saq", "tgt": "tepat", "sla": "tepat waktu",
}
_NOISE = frozenset({"jumlah", "total", "hari", "kerja", "poin", "orang", "buah", "unit",
                    "dalam", "per", "dan", "yang", "of", "the", "number", "angka", "hk"})


def header_key(text: object) -> str:
    """Compare-key of a header: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", str(text).casefold()) if text is not None else ""


@dataclass(frozen=True, slots=True)
class HeaderMapping:
    """One header of the chosen sheet: what it maps to and why.

    ``target`` is "code", "name", an indicator key, or "" (ignored). ``reason`` is one of
    entrant, exact, confirmed, remembered, proposed, companion, ignored, none;
    ``proposal`` and ``score`` name the similar indicator of a proposed (or companion) one.
    """

    col: int
    text: str
    target: str
    reason: str
    proposal: str = ""
    score: int = 0

    def as_dict(self) -> dict:
        """Plain JSON for a stored batch."""
        return {"col": self.col, "text": self.text, "target": self.target,
                "reason": self.reason, "proposal": self.proposal, "score": self.score}


def tokens(text: str) -> str:
    """Words of a header for similarity: abbreviations written out, units and fillers gone."""
    words = []
    for word in _WORD.findall(str(text).casefold()):
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(w for w in words if w not in _NOISE and w != "%")


class HeaderMatcher:
    """Maps header texts for one method's indicators and one set of organizer choices.

    ``choices`` maps :func:`header_key` of a header to an indicator key or ``IGNORE``.
    """

    def __init__(self, indicators: Sequence, choices: Mapping[str, str] | None = None,
                 remembered: Mapping[str, str] | None = None) -> None:
        self.indicators = {i.key: i for i in indicators}
        self.remembered = self._valid(remembered)
        self.choices = self._valid(choices)
        self.exact: dict[str, str] = {}
        self.similar: list[tuple[str, str]] = []  # (token text, indicator key)
        for ind in indicators:
            for text in (ind.header, ind.key, *ind.aliases):
                self.exact.setdefault(header_key(text), ind.key)
                self.exact.setdefault(_strict_key(text), ind.key)
                self.similar.append((tokens(text.replace("_", " ")), ind.key))

    def _valid(self, choices: Mapping[str, str] | None) -> dict[str, str]:
        return {header_key(k): v for k, v in (choices or {}).items()
                if v == IGNORE or v in self.indicators}

    def chosen(self, text: str) -> HeaderMapping | None:
        """The organizer's choice for a header (this time, else remembered), if any."""
        key = header_key(text)
        for choices, reason in ((self.choices, "confirmed"), (self.remembered, "remembered")):
            if key in choices:
                target = choices[key]
                return HeaderMapping(-1, text, target, "ignored" if target == IGNORE else reason)
        return None

    def match(self, col: int, text: str) -> HeaderMapping:
        """The mapping of one indicator-candidate header (entrant columns are found elsewhere)."""
        key = header_key(text)
        chosen = self.chosen(text)
        if chosen is not None:
            return HeaderMapping(col, text, chosen.target, chosen.reason)
        companion = self._companion(text)
        if companion:
            return HeaderMapping(col, text, IGNORE, "companion", companion, 100)
        if key in self.exact:
            return HeaderMapping(col, text, self.exact[key], "exact")
        best, score = self.closest(text)
        if best and score >= PROPOSE_AT:
            return HeaderMapping(col, text, IGNORE, "proposed", best, score)
        return HeaderMapping(col, text, IGNORE, "none")

    def closest(self, text: str) -> tuple[str, int]:
        """The most similar indicator and its score (0–100), by RapidFuzz on header tokens."""
        words = tokens(text)
        if not words:
            return "", 0
        best, score = "", 0.0
        for candidate, ind_key in self.similar:
            if not candidate:
                continue
            value = max(fuzz.token_sort_ratio(words, candidate),
                        0.95 * fuzz.token_set_ratio(words, candidate)
                        if min(len(words), len(candidate)) >= 6 else 0)
            if value > score:
                best, score = ind_key, value
        return best, round(score)

    def _companion(self, text: str) -> str:
        """The indicator ``text`` accompanies ("% Selesai" → selesai), or ''."""
        if _strict_key(text) in self.exact:
            return ""  # the method lists this very header (e.g. "Tindak Lanjut (%)")
        words = _WORD.findall(str(text).casefold())
        if not words:
            return ""
        kind = _COMPANION_WORDS.get(words[0]) or ("percent" if words[-1] == "%" else "")
        if not kind:
            return ""
        rest = " ".join(w for w in (words[1:] if words[0] in _COMPANION_WORDS else words[:-1])
                        if w not in ("%", "dari"))
        base = self.exact.get(header_key(rest)) or self._near(rest)
        if base and self.indicators[base].measure != kind:
            return base
        return ""

    def _near(self, text: str) -> str:
        best, score = self.closest(text)
        return best if score >= PROPOSE_AT else ""


def _strict_key(text: object) -> str:
    """Like :func:`header_key` but keeping '%', so "% Selesai" is not "Selesai"."""
    return "=" + re.sub(r"[^\w%]+|_", "", str(text).casefold())
