"""Live rankings kept in the process until one of their inputs changes.

A province-wide category takes a second to read and rank, and organizers page through it
while the API and CLI ask again. Each app keeps the engine's result of its last few
categories under ``category_fingerprint`` (read before the inputs, so a write committed in
between only costs a recomputation), and serves it while the fingerprint is unchanged.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flask import current_app

KEPT = 8  # categories per process, at most
# ...and at most this many marks in all (~75 MB): one category of 5,000 entries × 7 jurors ×
# 10 criteria holds 350,000 (~26 MB of marks and rows), so a few such stay, never eight.
KEPT_MARKS = 1_000_000


@dataclass
class Computed:
    """A category's inputs as the ranking pages need them, and the engine's result."""

    entries: dict  # entry id -> EntryRef
    criteria: list
    marks: Any  # MarkColumns
    ranked: list
    mark_rows: Any = None  # the stored marks behind ``marks``, updated on the next change
    means: dict = field(default_factory=dict)  # entry id -> criterion means, as lines are shown


class LiveCache:
    """Category id -> (fingerprint, Computed), the least recently used dropped first."""

    def __init__(self, kept: int = KEPT, kept_marks: int = KEPT_MARKS):
        self._items: OrderedDict[int, tuple[tuple, Computed]] = OrderedDict()
        self._kept = kept
        self._kept_marks = kept_marks
        self._lock = Lock()

    def get(self, category_id: int, key: tuple) -> Computed | None:
        with self._lock:
            found = self._items.get(category_id)
            if found is None or found[0] != key:
                return None
            self._items.move_to_end(category_id)
            return found[1]

    def kept(self, category_id: int) -> tuple[tuple, Computed] | None:
        """The category's last (key, result), whatever its key: a start for the next one."""
        with self._lock:
            return self._items.get(category_id)

    def put(self, category_id: int, key: tuple, computed: Computed) -> None:
        with self._lock:
            self._items[category_id] = (key, computed)
            self._items.move_to_end(category_id)
            while len(self._items) > self._kept or (
                    len(self._items) > 1 and self._marks() > self._kept_marks):
                self._items.popitem(last=False)

    def _marks(self) -> int:
        """Marks held by every kept category (the newest is kept whatever its size)."""
        return sum(len(computed.marks) for _, computed in self._items.values())


def cached(category_id: int, key: tuple,
           compute: Callable[[tuple[tuple, Computed] | None], Computed]) -> Computed:
    """The kept result for ``key``, else ``compute(last kept (key, result) or None)`` kept
    under it."""
    cache = current_app.extensions.setdefault("juara.live_rankings", LiveCache())
    found = cache.get(category_id, key)
    if found is None:
        found = compute(cache.kept(category_id))
        cache.put(category_id, key, found)
    return found
