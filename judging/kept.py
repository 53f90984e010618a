"""Values worked out once per app and kept under a key, a bounded number at a time.

Hot pages keep what depends only on a few inputs (a rubric in a language, a formatted
deadline, a client's fingerprint): the key names every input, so a changed input is a new
key and nothing is served stale. A store that reaches its bound starts afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def kept(store: str, key: Hashable, make: Callable[[], T], *, at_most: int) -> T:
    """``make()`` for ``key`` in the app's ``store``, made only the first time."""
    values = current_app.extensions.setdefault(store, {})
    found = values.get(key)
    if found is None:
        if len(values) >= at_most:
            values.clear()
        found = values[key] = make()
    return found
