"""The base class every scoring method derives from, and the checks on its declaration.

A method is a class, not a configuration file, so a plugin author gets the same
checks at import time as the built-ins: a method whose component weights do not add
up to 100 cannot even be defined.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import ClassVar

from judging.io.xlsx.numbers import format_number
from judging.scoring.types import (
    SCALES,
    Band,
    CategorySettings,
    CohortEntry,
    Component,
    Criterion,
    Flag,
    Indicator,
    MonevScore,
    RowError,
    Text,
    bilingual,
)

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
AGGREGATIONS = ("mean", "median", "trimmed")

ENGINE_FLAGS: tuple[Flag, ...] = (
    Flag("few_marks", "Nilai juri kurang", "Fewer jury marks than required"),
    Flag("disagreement", "Juri berbeda pendapat", "Jurors disagree"),
)
"""Flags the ranking engine itself sets on any method's entries; methods may not reuse them."""


class MethodDefinitionError(ValueError):
    """A scoring method class declares something impossible (weights, keys, rubric)."""


class ScoringMethod:
    """Base of every scoring method; subclasses declare data and implement ``score``.

    A subclass with a non-empty ``key`` is checked when the class is defined.
    Leave ``key`` empty on an intermediate base class meant only to be derived from.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""  # Indonesian; ``label_en`` the English (or a ``Text``)
    label_en: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    indicators: ClassVar[tuple[Indicator, ...]] = ()
    criteria: ClassVar[tuple[Criterion, ...]] = ()
    components: ClassVar[tuple[Component, ...]] = ()
    default_thresholds: ClassVar[dict[str, float]] = {}
    # threshold key -> (Indonesian label, English label) or a Text, shown instead of the key
    threshold_labels: ClassVar[dict[str, tuple[str, str] | str]] = {}
    bands: ClassVar[tuple[Band, ...]] = ()
    flags: ClassVar[tuple[Flag, ...]] = ()
    # sub-score key (MonevScore.subscores) -> its name, a Text; indicator keys need none
    subscore_labels: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.label = bilingual(cls.label, cls.label_en or getattr(cls.label, "en", ""))
        cls.label_en = cls.label_en or getattr(cls.label, "en", "")
        if cls.key:
            check_method_class(cls)

    @classmethod
    def rubric_text(cls, key: str, stored: str, field: str = "label") -> str:
        """A stored rubric label or guidance as the method's ``Text`` (with its English) while
        it still reads as the default; words the organizer typed are returned as typed."""
        default = next((getattr(c, field) for c in cls.criteria if c.key == key), None)
        return default if default is not None and default == stored else stored

    @classmethod
    def band_text(cls, stored: str | None) -> str | None:
        """A stored band (Indonesian, as frozen) as the method's ``Text`` when it declares it."""
        return next((b.label for b in cls.bands if b.label == stored), stored)

    @classmethod
    def texts(cls) -> dict[str, str]:
        """Every text this method shows people, by where it appears; a ``Text`` has English.

        The translation test walks the built-in methods with it; a plugin's test may too.
        """
        found: dict[str, str] = {"label": cls.label}
        for i in cls.indicators:
            found.update({f"indicator {i.key}": i.header, f"indicator {i.key} unit": i.unit,
                          f"indicator {i.key} guidance": i.guidance})
        for c in cls.criteria:
            found.update({f"criterion {c.key}": c.label, f"criterion {c.key} guidance": c.guidance})
        found.update({f"component {c.key}": c.label for c in cls.components})
        found.update({f"band {b.label}": b.label for b in cls.bands})
        found.update({f"flag {f.key}": f.label for f in cls.flags})
        found.update({f"subscore {k}": v for k, v in cls.subscore_labels.items()})
        found.update({f"threshold {k}": threshold_text(v) for k, v in cls.threshold_labels.items()})
        return {where: text for where, text in found.items() if text}

    # -- declarations -----------------------------------------------------------

    @classmethod
    def jury_component(cls) -> Component:
        """The one component fed by jury marks (its weight may be changed per category)."""
        return next(c for c in cls.components if c.jury)

    @classmethod
    def indicator(cls, key: str) -> Indicator:
        """Look an indicator up by key, for messages and importers."""
        for ind in cls.indicators:
            if ind.key == key:
                return ind
        raise KeyError(f"{cls.key}: no indicator {key!r}")

    @classmethod
    def flag(cls, key: str) -> Flag:
        """A flag by key: the method's own, else the engine's; an unknown key labels itself."""
        for flag in cls.flags + ENGINE_FLAGS:
            if flag.key == key:
                return flag
        return Flag(key, key, key)

    @classmethod
    def flag_labels(cls, lang: str = "id") -> dict[str, str]:
        """Every flag this method's rankings may carry, with its label in ``lang``."""
        return {f.key: f.label_en if lang == "en" else f.label for f in ENGINE_FLAGS + cls.flags}

    def default_settings(self) -> CategorySettings:
        """Settings a new category starts with: the method's own weights and thresholds."""
        return CategorySettings(
            weights={c.key: c.weight for c in self.components},
            thresholds=dict(self.default_thresholds),
        )

    def weights(self, settings: CategorySettings) -> dict[str, float]:
        """Component weights in force: the category's, else the method's defaults."""
        return {c.key: float(settings.weights.get(c.key, c.weight)) for c in self.components}

    def threshold(self, settings: CategorySettings, name: str) -> float:
        """A threshold in force: the category's value, else the method's default."""
        return float(settings.thresholds.get(name, self.default_thresholds[name]))

    def check_settings(self, settings: CategorySettings) -> list[RowError]:
        """Everything wrong with a category's settings, so forms and the engine agree."""
        return _settings_problems(self, settings)

    # -- indicator rows ---------------------------------------------------------

    def validate_row(self, values: Mapping[str, float | None]) -> list[RowError]:
        """All problems of one entrant's indicator values: each value alone, then across.

        Cross-field rules (``cross_check``) run only when every value is valid alone,
        so a person sees the first thing to fix rather than a cascade.
        """
        errors = [e for ind in self.indicators for e in check_value(ind, values.get(ind.key))]
        return errors or self.cross_check(values)

    def cross_check(self, values: Mapping[str, float | None]) -> list[RowError]:
        """Rules relating several indicators of one row; override in a method."""
        return []

    def cross_check_rows(self, columns: Mapping[str, object]) -> Iterable[int]:
        """Positions of the rows ``cross_check`` may refuse, for a whole sheet at once.

        ``columns`` maps each indicator found to a numpy float array (NaN: empty cell), all
        of one length. Rows named here are checked again one by one, so naming too many
        costs only time; naming too few lets a bad row through. The default runs
        ``cross_check`` on each row; override it (``rows_more_than`` helps) for speed.
        """
        keys = list(columns)
        for i, row in enumerate(zip(*(list(col) for col in columns.values()), strict=True)):
            values = {key: None if v != v else float(v) for key, v in zip(keys, row, strict=True)}
            if self.cross_check(values):
                yield i

    def rows_more_than(self, columns: Mapping[str, object], key: str, limit_key: str):
        """Positions where ``columns[key]`` exceeds ``columns[limit_key]``: ``not_more_than``
        over whole columns (an empty cell on either side passes)."""
        import numpy as np

        if key not in columns or limit_key not in columns:
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(np.asarray(columns[key]) > np.asarray(columns[limit_key]))

    def not_more_than(
        self, values: Mapping[str, float | None], key: str, limit_key: str
    ) -> list[RowError]:
        """A row error when ``values[key]`` exceeds ``values[limit_key]`` (helper for rules)."""
        value, limit = values.get(key), values.get(limit_key)
        if value is None or limit is None or value <= limit:
            return []
        ind, lim = self.indicator(key), self.indicator(limit_key)
        return [
            RowError(
                column=key,
                message_id=f"'{ind.header}' ({fmt_number(value, 'id')}) lebih besar dari "
                f"'{lim.header}' ({fmt_number(limit, 'id')})",
                message_en=f"'{ind.label_en}' ({fmt_number(value, 'en')}) is greater than "
                f"'{lim.label_en}' ({fmt_number(limit, 'en')})",
            )
        ]

    # -- scoring ----------------------------------------------------------------

    def score(self, cohort: list[CohortEntry], settings: CategorySettings) -> dict[int, MonevScore]:
        """Score every entry of a category at once (some indicators are cohort-relative).

        Return ``{entry_id: MonevScore}`` with every non-jury component in 0–100;
        set ``advanced=False`` for entries that do not pass the method's gate.
        """
        raise NotImplementedError(f"{type(self).__name__}.score")

    def band(self, total: Decimal, settings: CategorySettings | None = None) -> str | None:
        """The band (predikat) label of a two-decimal total, or None when there is none."""
        for band in sorted(self.bands, key=lambda b: b.min_total, reverse=True):
            if total >= band.min_total:
                return str(band.label)  # stored and printed in Indonesian; band_text() for English
        return None


def fmt_number(value: float, lang: str) -> str:
    """A number in a message: two decimals at most, no thousands marks (the one formatter)."""
    return format_number(value, lang, grouping=False, places=2)


def check_value(ind: Indicator, value: float | None) -> list[RowError]:
    """Problems of one indicator value alone: missing, not a number, wrong kind, out of range."""

    def err(msg_id: str, msg_en: str) -> list[RowError]:
        return [RowError(ind.key, f"'{ind.header}' {msg_id}", f"'{ind.label_en}' {msg_en}")]

    if value is None:
        return err("wajib diisi", "is required") if ind.required else []
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return err(f"bukan angka ({value!r})", f"is not a number ({value!r})")
    shown_id, shown_en = fmt_number(value, "id"), fmt_number(value, "en")
    if ind.type == "int" and not float(value).is_integer():
        return err(f"harus bilangan bulat ({shown_id})", f"must be a whole number ({shown_en})")
    if ind.min is not None and value < ind.min:
        low_id, low_en = fmt_number(ind.min, "id"), fmt_number(ind.min, "en")
        return err(f"({shown_id}) kurang dari {low_id}", f"({shown_en}) is less than {low_en}")
    if ind.max is not None and value > ind.max:
        high_id, high_en = fmt_number(ind.max, "id"), fmt_number(ind.max, "en")
        return err(f"({shown_id}) lebih dari {high_id}", f"({shown_en}) is more than {high_en}")
    return []


def threshold_text(value: tuple[str, str] | str) -> str:
    """A threshold label declared as an (Indonesian, English) pair or a ``Text``."""
    return Text(*value) if isinstance(value, tuple) else value


def check_method_class(cls: type) -> None:
    """Refuse a method class whose declaration cannot produce a sound score."""
    problems = _declaration_problems(cls)
    if problems:
        name = getattr(cls, "key", "") or cls.__name__
        raise MethodDefinitionError(f"scoring method {name!r}: " + "; ".join(problems))


def _declaration_problems(cls: type) -> list[str]:
    problems: list[str] = []
    if not isinstance(cls, type) or not issubclass(cls, ScoringMethod):
        return [f"{cls!r} is not a ScoringMethod subclass"]
    if not _KEY.match(cls.key or ""):
        problems.append("key must be lower-case letters, digits and '_' (e.g. 'kip_monev')")
    if not cls.label or not cls.label_en:
        problems.append("label and label_en are required")
    for attr, kind in (
        ("indicators", Indicator),
        ("criteria", Criterion),
        ("components", Component),
        ("bands", Band),
        ("flags", Flag),
    ):
        items = getattr(cls, attr)
        if not isinstance(items, tuple) or not all(isinstance(i, kind) for i in items):
            problems.append(f"{attr} must be a tuple of {kind.__name__}")
            continue
        keys = [getattr(i, "key", getattr(i, "label", None)) for i in items]
        if len(set(keys)) != len(keys):
            problems.append(f"{attr} keys must be unique")
    if problems:
        return problems
    for ind in cls.indicators:
        if ind.scale and ind.scale not in SCALES:
            problems.append(f"indicator {ind.key!r}: scale must be one of {', '.join(SCALES)}")
    total = sum(c.weight for c in cls.components)
    if not math.isclose(total, 100, abs_tol=1e-9):
        problems.append(f"component weights sum to {total:g}, not 100")
    if any(c.weight < 0 for c in cls.components):
        problems.append("component weights must not be negative")
    juries = sum(1 for c in cls.components if c.jury)
    if juries != 1:
        problems.append(f"exactly one component must have jury=True (found {juries})")
    if not cls.criteria:
        problems.append("criteria (the default jury rubric) must not be empty")
    if any(c.weight <= 0 or c.max_mark <= 0 for c in cls.criteria):
        problems.append("criterion weights and max marks must be positive")
    if any(not _KEY.match(f.key) or not f.label or not f.label_en for f in cls.flags):
        problems.append("each flag needs a lower-case key, a label and a label_en")
    if {f.key for f in cls.flags} & {f.key for f in ENGINE_FLAGS}:
        problems.append("flags must not reuse the engine's keys ('few_marks', 'disagreement')")
    if any(not isinstance(b.min_total, Decimal) for b in cls.bands):
        problems.append("band min_total must be a Decimal")
    return problems


def _settings_problems(method: ScoringMethod, settings: CategorySettings) -> list[RowError]:
    def err(column: str, msg_id: str, msg_en: str) -> None:
        problems.append(RowError(column, msg_id, msg_en))

    problems: list[RowError] = []
    known = {c.key for c in method.components}
    for key in sorted(set(settings.weights) - known):
        err("weights", f"Komponen '{key}' tidak dikenal", f"Unknown component '{key}'")
    weights = method.weights(settings)
    if any(not math.isfinite(w) or w < 0 for w in weights.values()):
        err("weights", "Bobot tidak boleh negatif", "Weights must not be negative")
    elif not math.isclose(total := sum(weights.values()), 100, abs_tol=1e-6):
        err(
            "weights",
            f"Jumlah bobot komponen {fmt_number(total, 'id')}, harus 100",
            f"Component weights add up to {fmt_number(total, 'en')}, must be 100",
        )
    for name in sorted(set(settings.thresholds) - set(method.default_thresholds)):
        err("thresholds", f"Ambang '{name}' tidak dikenal", f"Unknown threshold '{name}'")
    if settings.aggregation not in AGGREGATIONS:
        err(
            "aggregation",
            f"Cara agregasi '{settings.aggregation}' tidak dikenal",
            f"Unknown aggregation '{settings.aggregation}'",
        )
    if settings.required_marks < 0 or settings.disagreement_threshold < 0:
        err(
            "required_marks",
            "Jumlah penilai minimum dan ambang selisih tidak boleh negatif",
            "Required marks and disagreement threshold must not be negative",
        )
    return problems
