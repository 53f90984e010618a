"""Published results pages kept rendered in the process until the competition is republished.

Published numbers change only through a phase step (back to final, a new freeze, published
again), each one audited. A page is kept under the latest such step of the competition and
of the year it was copied from (last year's ranks give the "naik peringkat" marks), the
counts and greatest ids of their categories, frozen results and special awards (category
settings are locked from final on), everything the page shows of the competition and its
body, and the reader's language, so a kept page is never served once anything on it could
have changed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from judging.extensions import db
from judging.models import (
    AuditEvent,
    Category,
    Competition,
    Entry,
    Organisation,
    Result,
    SpecialAward,
)

KEPT = 32  # pages per process (a competition × language each; ~100 KB for 300 lines)

_IDS = bindparam("competition_ids", expanding=True)
_BODY = bindparam("organisation_id")
_CATEGORIES = select(Category.id).where(Category.competition_id.in_(_IDS))
_PUBLICATION = select(
    select(func.max(AuditEvent.id)).where(AuditEvent.action == "competition.phase",
                                          AuditEvent.competition_id.in_(_IDS))
    .scalar_subquery(),
    select(func.count()).where(Result.category_id.in_(_CATEGORIES)).scalar_subquery(),
    select(func.max(Result.id)).where(Result.category_id.in_(_CATEGORIES)).scalar_subquery(),
    select(func.count()).select_from(SpecialAward).join(Entry)
    .where(Entry.category_id.in_(_CATEGORIES)).scalar_subquery(),
    select(func.max(SpecialAward.id)).join(Entry)
    .where(Entry.category_id.in_(_CATEGORIES)).scalar_subquery(),
    select(func.count()).where(Category.competition_id.in_(_IDS)).scalar_subquery(),
    select(func.max(Category.id)).where(Category.competition_id.in_(_IDS)).scalar_subquery(),
    select(Organisation.name).where(Organisation.id == _BODY).scalar_subquery(),
    select(Organisation.logo_key).where(Organisation.id == _BODY).scalar_subquery(),
)


class PageCache:
    """Key -> rendered page, the least recently used dropped first."""

    def __init__(self, kept: int = KEPT):
        self._items: OrderedDict[tuple, Markup] = OrderedDict()
        self._kept = kept
        self._lock = Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            page = self._items.get(key)
            if page is not None:
                self._items.move_to_end(key)
            return page

    def put(self, key: tuple, page: Markup) -> None:
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self._kept:
                self._items.popitem(last=False)


def publication_key(competition: Competition, language: str) -> tuple:
    """What a published results page depends on, read in one statement."""
    ids = [competition.id] + ([competition.copied_from_id] if competition.copied_from_id else [])
    published = tuple(db.session.execute(_PUBLICATION, {
        "competition_ids": ids, "organisation_id": competition.organisation_id}).one())
    shown = (competition.name, competition.year, competition.show_rank_rise,
             repr(competition.award_labels), repr(competition.certificate_design),
             competition.logo_key)
    return competition.id, language, published, shown


def kept_page(competition: Competition, language: str, render: Callable[[], str]) -> Markup:
    """The competition's published page in ``language``: kept, else ``render()`` kept."""
    cache = current_app.extensions.setdefault("juara.published_pages", PageCache())
    key = publication_key(competition, language)
    page = cache.get(key)
    if page is None:
        page = Markup(render())
        cache.put(key, page)
    return page


def warm_up(_absent) -> None:
    """Compile the public page's key before a worker's first request (no such competition)."""
    db.session.execute(_PUBLICATION, {"competition_ids": [0], "organisation_id": 0}).one()
