"""Creating categories: settings and rubric seeded from the chosen scoring method."""

from __future__ import annotations

from decimal import Decimal

from judging.extensions import db
from judging.models import Category, Competition, Criterion
from judging.plugin_setup import methods


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
    category = Category(
        competition=competition,
        name=name,
        code=code,
        method_key=method_key,
        level=level,
        places=places,
        weights={c.key: float(c.weight) for c in method.components},
        thresholds=dict(method.default_thresholds),
        position=len(competition.categories),
        **settings,
    )
    for position, criterion in enumerate(method.criteria):
        category.criteria.append(
            Criterion(
                key=criterion.key,
                label=criterion.label,
                guidance=criterion.guidance,
                weight=Decimal(str(criterion.weight)),
                max_mark=Decimal(str(criterion.max_mark)),
                position=position,
            )
        )
    db.session.add(category)
    return category
