"""Creating categories: settings and rubric seeded from the chosen scoring method."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from judging.audit import record
from judging.extensions import db
from judging.models import Category, Competition, Criterion
from judging.phases import rubric_locked, settings_locked
from judging.plugin_setup import methods
from judging.refusals import Notice, Refused
from judging.results.inputs import settings_of


def create_category(
    competition: Competition,
    *,
    name: str,
    code: str,
    method_key: str,
    level: str,
    places: int = 3,
    **settings,
) -> Category:
    """Add a category whose weights, thresholds and criteria start from the method's defaults."""
    method = methods().get(method_key)
    defaults = method.default_settings()
    category = Category(
        competition=competition,
        name=name,
        code=code,
        method_key=method_key,
        level=level,
        places=places,
        weights={key: float(weight) for key, weight in defaults.weights.items()},
        thresholds=defaults.thresholds,
        position=len(competition.categories),
        **settings,
    )
    for position, criterion in enumerate(method.criteria):
        category.criteria.append(
            Criterion(
                key=criterion.key,
                label=str(criterion.label),  # stored as the Indonesian words; pages find the
                guidance=str(criterion.guidance),  # English while they stay (rubric_text)
                weight=Decimal(str(criterion.weight)),
                max_mark=Decimal(str(criterion.max_mark)),
                position=position,
            )
        )
    db.session.add(category)
    return category


SETTINGS = (
    "name", "code", "level", "places", "aggregation", "normalise", "blind", "required_marks",
    "disagreement_threshold", "weights", "thresholds", "description", "share_comments",
)


def category_snapshot(category: Category) -> dict:
    """Settings and rubric as plain JSON for the audit log."""
    data = {name: getattr(category, name) for name in SETTINGS}
    data["disagreement_threshold"] = str(category.disagreement_threshold)
    data["criteria"] = [
        {"key": c.key, "label": c.label, "weight": str(c.weight), "max": str(c.max_mark)}
        for c in category.criteria
    ]
    return data


def check_settings(category: Category, values: dict) -> None:
    """Refuse settings the scoring method cannot use (weights not totalling 100…)."""
    if settings_locked(category.competition):
        raise Refused(
            "Hasil sudah dibekukan; pengaturan kategori tidak bisa diubah lagi.",
            "Results are frozen; category settings can no longer change.",
        )
    probe = SimpleNamespace(**{k: values.get(k, getattr(category, k)) for k in SETTINGS})
    problems = methods().get(category.method_key).check_settings(settings_of(probe))
    if values.get("places", 1) < 1:
        raise Refused("Jumlah juara minimal 1.", "At least one place must be awarded.")
    if problems:
        raise Refused(
            "Pengaturan kategori tidak disimpan:",
            "The category settings were not saved:",
            [Notice(p.message_id, p.message_en) for p in problems],
        )


def update_category(category: Category, values: dict) -> None:
    """Apply checked settings and log the change."""
    check_settings(category, values)
    before = category_snapshot(category)
    for name in SETTINGS:
        if name in values:
            setattr(category, name, values[name])
    _audit(category, "category.updated", before)


def save_criteria(category: Category, rows: list[dict]) -> None:
    """Replace the rubric with ``rows`` ({id|None, label, guidance, weight, max_mark}).

    Refused (nothing changed) once judging has started or when a row makes no sense.
    """
    if rubric_locked(category.competition):
        raise Refused(
            "Rubrik terkunci karena penjurian sudah dimulai; tidak ada yang diubah.",
            "The rubric is locked because judging has started; nothing was changed.",
        )
    if not rows:
        raise Refused("Rubrik perlu minimal satu kriteria.",
                      "A rubric needs at least one criterion.")
    for number, row in enumerate(rows, 1):
        if not row["label"].strip():
            raise Refused(f"Kriteria {number}: nama wajib diisi.",
                          f"Criterion {number}: a label is required.")
        if row["weight"] <= 0 or row["max_mark"] <= 0:
            raise Refused(f"Kriteria {number}: bobot dan nilai maksimum harus lebih dari 0.",
                          f"Criterion {number}: weight and max mark must be above 0.")
    before = category_snapshot(category)
    existing = {c.id: c for c in category.criteria}
    keys = {c.key for c in category.criteria}
    kept = []
    for position, row in enumerate(rows):
        criterion = existing.get(row.get("id"))
        if criterion is None:
            criterion = Criterion(key=unique_key(row["label"], keys))
            keys.add(criterion.key)
        criterion.label = row["label"].strip()
        criterion.guidance = (row.get("guidance") or "").strip()
        criterion.weight = Decimal(str(row["weight"]))
        criterion.max_mark = Decimal(str(row["max_mark"]))
        criterion.position = position
        kept.append(criterion)
    category.criteria[:] = kept
    _audit(category, "category.rubric", before)


def unique_key(label: str, taken: set[str]) -> str:
    """A criterion key made from its label (lower-case ascii words), unique in the rubric."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:40] or "kriteria"
    if not base[0].isalpha():
        base = "k_" + base
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _audit(category: Category, action: str, before: dict) -> None:
    after = category_snapshot(category)
    changed = {k for k in after if after[k] != before.get(k)}
    if changed:
        record(action, object_type="category", object_id=category.id,
               competition_id=category.competition_id,
               before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed})


def check_unique(competition_id: int, name: str, code: str, exclude: int | None = None) -> None:
    """Refuse a name or code already used by another category of the competition."""
    rows = db.session.execute(select(Category.id, Category.name, Category.code).where(
        Category.competition_id == competition_id)).all()
    for row in rows:
        if row.id != exclude and (row.name == name or row.code.lower() == code.lower()):
            raise Refused("Nama atau kode kategori sudah dipakai di kompetisi ini.",
                          "The category name or code is already used in this competition.")


def add_category(competition: Competition, *, name: str, code: str, method_key: str,
                 level: str, places: int = 3) -> Category:
    """An organizer's new category (before judging only), seeded and audited."""
    if competition.phase not in ("draft", "open"):
        raise Refused("Kategori baru hanya bisa ditambahkan sebelum penjurian.",
                      "New categories can only be added before judging.")
    check_unique(competition.id, name, code)
    category = create_category(competition, name=name, code=code, method_key=method_key,
                               level=level, places=places)
    db.session.flush()
    record("category.created", object_type="category", object_id=category.id,
           competition_id=competition.id, after=category_snapshot(category))
    return category
