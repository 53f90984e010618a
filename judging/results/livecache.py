"""Live rankings kept in the process until one of their inputs changes.

A province-wide category takes a second to read and rank, and organizers page through it
while the API and CLI ask again. Each app keeps the engine's result of its last few
categories under ``category_fingerprint`` (read before the inputs, so a write committed in
between only costs a recomputation), and serves it while the fingerprint is unchanged.
When a process has nothing kept (a new worker, every CLI run) it starts from the inputs
another process left on disk (``livesnapshot``), brought up to date the same way.
"""

from __future__ import annotations

import hashlib
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
    parts: dict | None = None  # ``key_parts`` of the key this was computed under
    inputs: Any = None  # the CategoryInputs ranked, whose unchanged parts the next one reuses
    reused: bool = False  # the inputs are those kept before, unchanged: nothing new to leave
    juror_ids: frozenset | None = None  # every juror counted in ``ranked``, once asked for
    windows: dict = field(default_factory=dict)  # a page's lines and what pages derive from them


def key_parts(key: tuple) -> dict:
    """What of a live key (fingerprint, ranked entries) each input depends on, as digests,
    and the marks' summary itself (its greatest id and latest time say what is new since).
    """
    from judging.results.inputs import (
        CONFLICT_SUMMARY,
        MARK_SUMMARY,
        MONEV_SUMMARY,
        SAQ_SUMMARY,
        SHEET_SUMMARY,
    )

    fingerprint, entries = key
    return {
        "basis": _digest((fingerprint[:MARK_SUMMARY], entries)),  # settings, rubric, entries
        "ids": _digest([i for i, _ in entries]),
        "marks": _digest(fingerprint[MARK_SUMMARY]),
        "sheets": _digest(fingerprint[SHEET_SUMMARY]),
        "monev": _digest((fingerprint[MONEV_SUMMARY], fingerprint[SAQ_SUMMARY:])),
        "conflicts": _digest(fingerprint[CONFLICT_SUMMARY]),
        "mark_summary": fingerprint[MARK_SUMMARY],
    }


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


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
        return sum(len(computed.marks) for _, computed in self._items.values()
                   if computed.marks is not None)


def cached(category_id: int, key: tuple, compute: Callable[[Computed | None], Computed],
           load: Callable[[], Computed | None] = lambda: None,
           save: Callable[[Computed], None] = lambda computed: None) -> Computed:
    """The kept result for ``key``, else ``compute(last kept result, or ``load()``: the
    inputs another process left, or None)``, kept under it and handed to ``save``."""
    cache = current_app.extensions.setdefault("juara.live_rankings", LiveCache())
    found = cache.get(category_id, key)
    if found is None:
        kept = cache.kept(category_id)
        found = compute(kept[1] if kept is not None else load())
        cache.put(category_id, key, found)
        if found.inputs is not None and not found.reused:
            save(found)
    return found
