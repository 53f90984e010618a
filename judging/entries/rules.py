"""What a category asks of an entry: its ``Category.evidence_rules`` JSON, read in one place.

Shape (every key optional; an empty dict gives the defaults)::

    {
      "per": "indicator" | "criterion" | null,  # one evidence slot per monev indicator of
                                                 # the method, or per rubric criterion of
                                                 # the category; null: no slots
      "slots_required": false,  # every slot needs a file or link before submitting
      "general": true,          # offer an "other evidence" area besides the slots
      "types": ["pdf", "png", "jpeg", "webp", "xlsx", "docx", "pptx"],  # accepted kinds
      "max_file_mb": 10,        # per file; default app config EVIDENCE_MAX_FILE_MB
      "max_entry_mb": 100,      # all files of one entry; default EVIDENCE_MAX_ENTRY_MB
      "require_links": false,   # at least one social-media account link before submitting
      "max_links": 10,          # social-media account links an entry may list
      "fields": [               # category-specific answers, stored in Entry.fields
        {"key": "website", "label": "Alamat situs web", "type": "url", "required": true}
      ]                         # type: "text" (default), "textarea" or "url"
    }

The KIP questionnaire's "PDF ≤ 2 MB per question" is
``{"per": "criterion", "types": ["pdf"], "max_file_mb": 2, "slots_required": true}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from judging.io.files.check import DEFAULT_KINDS, MB

PER_CHOICES = (None, "indicator", "criterion")
FIELD_TYPES = ("text", "textarea", "url")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class RulesError(ValueError):
    """A category's evidence_rules JSON that cannot be obeyed (organizer input)."""


@dataclass(frozen=True)
class FieldSpec:
    """One category-specific question of an entry."""

    key: str
    label: str
    type: str = "text"
    required: bool = False


@dataclass(frozen=True)
class Slot:
    """One evidence requirement (an indicator or a criterion) with its Indonesian label."""

    key: str
    label: str
    guidance: str = ""


@dataclass(frozen=True)
class EvidenceRules:
    """The rules in force for one category, defaults filled in."""

    per: str | None
    slots_required: bool
    general: bool
    types: tuple[str, ...]
    max_file_bytes: int
    max_entry_bytes: int
    require_links: bool
    max_links: int
    fields: tuple[FieldSpec, ...]

    @property
    def max_file_mb(self) -> float:
        """Per-file limit in MB, for messages."""
        return self.max_file_bytes / MB

    @property
    def max_entry_mb(self) -> float:
        """Per-entry limit in MB, for messages."""
        return self.max_entry_bytes / MB


def parse_rules(raw: Mapping | None, *, default_file_mb: float,
                default_entry_mb: float) -> EvidenceRules:
    """Read a category's rules with the app's default limits; refuse impossible values."""
    raw = dict(raw or {})
    per = raw.get("per") or None
    if per not in PER_CHOICES:
        raise RulesError(f"per must be indicator, criterion or null, not {per!r}")
    types = tuple(raw.get("types") or DEFAULT_KINDS)
    unknown = set(types) - set(DEFAULT_KINDS)
    if unknown:
        raise RulesError(f"unknown evidence types: {sorted(unknown)}")
    file_mb = _positive(raw.get("max_file_mb", default_file_mb), "max_file_mb")
    entry_mb = _positive(raw.get("max_entry_mb", default_entry_mb), "max_entry_mb")
    return EvidenceRules(
        per=per,
        slots_required=bool(raw.get("slots_required", False)),
        general=bool(raw.get("general", True)),
        types=types,
        max_file_bytes=int(file_mb * MB),
        max_entry_bytes=int(entry_mb * MB),
        require_links=bool(raw.get("require_links", False)),
        max_links=int(_positive(raw.get("max_links", 10), "max_links")),
        fields=tuple(_field(item) for item in raw.get("fields") or ()),
    )


def build_slots(rules: EvidenceRules, *, indicators: Iterable = (),
                criteria: Iterable = ()) -> tuple[Slot, ...]:
    """The evidence slots of a category: its method's indicators or its own criteria.

    ``indicators`` are scoring ``Indicator`` declarations (``key``, ``header``);
    ``criteria`` are the category's ``Criterion`` rows (``key``, ``label``, ``guidance``).
    """
    if rules.per == "indicator":
        return tuple(Slot(i.key, i.header, getattr(i, "guidance", "")) for i in indicators)
    if rules.per == "criterion":
        return tuple(Slot(c.key, c.label, c.guidance or "") for c in criteria)
    return ()


def _positive(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise RulesError(f"{name} must be a number") from exc
    if number <= 0:
        raise RulesError(f"{name} must be positive")
    return number


def _field(item: Mapping) -> FieldSpec:
    if not isinstance(item, Mapping) or not _KEY.match(str(item.get("key", ""))):
        raise RulesError(f"a field needs a lowercase key: {item!r}"[:200])
    kind = item.get("type", "text")
    if kind not in FIELD_TYPES:
        raise RulesError(f"field type must be one of {FIELD_TYPES}, not {kind!r}")
    return FieldSpec(str(item["key"]), str(item.get("label") or item["key"]), kind,
                     bool(item.get("required", False)))
