"""What the public sees once a competition is published: the frozen rankings only."""

from __future__ import annotations

from judging.models import Competition
from judging.phases import published
from judging.results.freeze import frozen_ranking
from judging.results.live import Ranking


def published_rankings(competition: Competition) -> list[Ranking]:
    """Frozen rankings of a published competition; never a live one (empty if unfrozen)."""
    if not published(competition):
        return []
    return [r for r in (frozen_ranking(c) for c in competition.categories) if r is not None]
