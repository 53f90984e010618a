"""Plain data types shared by scoring methods, the ranking engine and their callers.

Frozen dataclasses only: no Flask, no database. Everything a scoring method
declares and everything the engine returns is one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

IndicatorType = Literal["int", "float", "percent"]
Scale = Literal["", "count", "days", "percent", "score", "ratio"]
SCALES = ("count", "days", "percent", "score", "ratio")
HUNDRED_SCALES = frozenset({"percent", "score"})  # 0–100: a "92%" cell means 92
Aggregation = Literal["mean", "median", "trimmed"]


class Text(str):
    """A text a method shows people: the string itself is Indonesian, ``en`` the English.

    A ``str`` so files, exports and plugins written for plain strings keep working; pages
    choose the language in one place (``judging.i18n.pick``). A plain ``str`` where a method
    gives no English is shown as it is in both languages.
    """

    en: str

    def __new__(cls, id: str, en: str = "") -> Text:  # noqa: A002 - "id" is the language
        text = super().__new__(cls, id)
        text.en = en or getattr(id, "en", "")
        return text

    def __reduce__(self):
        return (Text, (str(self), self.en))

    def __repr__(self) -> str:
        return f"Text({str(self)!r}, en={self.en!r})"


def bilingual(text: str, en: str = "") -> str:
    """``text`` carrying ``en`` as its English (a plain string stays plain without one)."""
    if not en or getattr(text, "en", "") == en:
        return text
    return Text(text, en)


def english(text: str) -> str:
    """The English a text carries, or '' when it has none."""
    return getattr(text, "en", "")


def _pair(item, field: str, en_field: str) -> None:
    """Make ``field`` and ``en_field`` of a frozen dataclass agree, whichever was given."""
    text, en = getattr(item, field), getattr(item, en_field)
    object.__setattr__(item, field, bilingual(text, en))
    object.__setattr__(item, en_field, en or english(text))


@dataclass(frozen=True)
class Indicator:
    """One monev column a method reads from a workbook.

    ``scale`` is what the number measures: ``count``, ``days``, ``percent`` (0–100),
    ``score`` (0–100) or ``ratio``; left empty it follows ``type`` (int → count, percent
    → percent). Percent and score values are stored as 0–100: a cell formatted as 87 %
    (a stored 0.87) or typed "87%" gives 87, and a column mixing scales is a question.
    ``unit`` is the word shown beside a value ("laporan", "hari kerja"). Give ``unit`` and
    ``guidance`` as ``Text(indonesian, en=english)`` to show them in English too.
    """

    key: str
    header: str  # Indonesian column header used in templates
    label_en: str = ""
    type: IndicatorType = "float"
    unit: str = ""
    min: float | None = 0
    max: float | None = None
    required: bool = True
    aliases: tuple[str, ...] = ()
    guidance: str = ""
    scale: Scale = ""

    def __post_init__(self):
        _pair(self, "header", "label_en")

    @property
    def measure(self) -> str:
        """The declared scale, or the one ``type`` implies ('' for a plain number)."""
        if self.scale:
            return self.scale
        return {"int": "count", "percent": "percent"}.get(self.type, "")

    @property
    def hundred(self) -> bool:
        """True for a 0–100 indicator, where percent-formatted fractions are multiplied."""
        return self.measure in HUNDRED_SCALES


@dataclass(frozen=True)
class Criterion:
    """One rubric line; methods declare defaults, categories store editable copies."""

    key: str
    label: str
    weight: float
    max_mark: float = 100
    guidance: str = ""
    label_en: str = ""

    def __post_init__(self):
        _pair(self, "label", "label_en")


@dataclass(frozen=True)
class Component:
    """A part of the final score; ``jury=True`` marks the one fed by jury marks."""

    key: str
    label: str
    label_en: str
    weight: float
    jury: bool = False

    def __post_init__(self):
        _pair(self, "label", "label_en")


@dataclass(frozen=True)
class Band:
    """A classification label (predikat) given to totals at or above ``min_total``."""

    label: str  # Indonesian, as printed on certificates
    label_en: str
    min_total: Decimal

    def __post_init__(self):
        _pair(self, "label", "label_en")


@dataclass(frozen=True)
class RowError:
    """A problem with one entrant's indicator values, phrased for people."""

    column: str  # indicator key
    message_id: str
    message_en: str


@dataclass(frozen=True)
class CohortEntry:
    """One entry as a method sees it when scoring a whole category at once."""

    entry_id: int
    name: str
    indicators: dict[str, float | None]


@dataclass(frozen=True)
class MonevScore:
    """A method's verdict on one entry: non-jury component scores and explanation."""

    components: dict[str, float]  # component key -> 0..100 (jury component excluded)
    subscores: dict[str, float] = field(default_factory=dict)  # indicator sub-scores
    advanced: bool = True  # passed the gate to jury judging
    flags: tuple[str, ...] = ()  # e.g. ("no_complaints",)


@dataclass(frozen=True)
class JurorMark:
    """One juror's mark on one criterion of one entry."""

    juror_id: int
    entry_id: int
    criterion_key: str
    value: float


@dataclass(frozen=True)
class MarkColumns:
    """Many marks as parallel NumPy columns: a province-wide category holds 350,000 of them,
    too many to build one ``JurorMark`` each. ``criterion`` indexes ``criterion_keys``."""

    juror_id: Any  # np.ndarray of int64
    entry_id: Any  # np.ndarray of int64
    criterion: Any  # np.ndarray of int64, positions in criterion_keys
    value: Any  # np.ndarray of float64
    criterion_keys: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.value)


@dataclass(frozen=True)
class CategorySettings:
    """Organizer-chosen settings for one category; weights by component key."""

    weights: dict[str, float]
    aggregation: Aggregation = "mean"
    normalise: bool = False
    thresholds: dict[str, float] = field(default_factory=dict)
    places: int = 3
    required_marks: int = 1
    disagreement_threshold: float = 20.0


@dataclass(frozen=True)
class RankedEntry:
    """One line of a ranking, with everything needed to explain it."""

    entry_id: int
    name: str
    rank: int
    total: Decimal
    components: dict[str, Decimal]
    band: str | None
    advanced: bool
    jurors_counted: int
    juror_scores: dict[int, float]  # juror id -> that juror's jury score (0..100)
    subscores: dict[str, float]
    weights: dict[str, float]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A short code shown beside a ranked entry, with its label in both languages.

    Methods declare the flags their ``score`` may set, so every flag has words people
    can read; the engine declares its own (``ENGINE_FLAGS`` in ``ranking.py``).
    """

    key: str
    label: str  # Indonesian
    label_en: str

    def __post_init__(self):
        _pair(self, "label", "label_en")


# -- hook payloads: what plugins receive, plain values only (never ORM objects) --------

@dataclass(frozen=True)
class SubmittedEntry:
    """An entry a participant has just submitted (``judging_entry_submitted``)."""

    id: int
    code: str
    category_id: int
    competition_id: int
    entrant_id: int
    entrant_code: str
    entrant_name: str
    submitted_at: str  # ISO 8601, UTC
    resubmission: bool = False
    evidence_count: int = 0


@dataclass(frozen=True)
class CategoryInfo:
    """A category as plugins see it (``judging_ranking_frozen``)."""

    id: int
    name: str
    code: str
    competition_id: int
    method: str  # the scoring method key
    level: str
    places: int


@dataclass(frozen=True)
class CategoryResults(CategoryInfo):
    """A category with its ranking lines in rank order (``judging_export_sheets``)."""

    results: tuple[RankedEntry, ...] = ()


@dataclass(frozen=True)
class CompetitionInfo:
    """A competition as plugins see it (``judging_export_sheets``)."""

    id: int
    name: str
    year: int
    code: str
    phase: str


@dataclass(frozen=True)
class CertificateInfo:
    """The printed facts of a certificate about to be rendered (``judging_certificate_context``)."""

    serial: str
    code: str
    entrant_name: str
    category_name: str
    competition_name: str
    method: str  # the category's scoring method key
    kind: str  # "rank" or "special"
    award: str
    band: str | None = None
    rank: int | None = None
    total: str | None = None  # the frozen total as text ("90.50"), None without a result


ExtraSheet = tuple[str, list[str], list[list]]
"""What ``judging_export_sheets`` returns per sheet: (title, header row, rows)."""
