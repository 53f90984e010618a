"""Helpers for building very many small objects at once (large imports and exports)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while many acyclic objects (rows, value dicts) are made.

    Each collection re-scans every live row, which costs about a third of a large import
    or export; reference counting still frees memory as usual, and the collector is back
    on when the block ends or fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
