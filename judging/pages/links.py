"""Links to routes taking integer ids, from patterns built once per app and script root.

A ``url_for`` builds the route each call (converters, defaults, quoting); the hot pages
link to a handful of routes many times, where only the ids change. Each (route, argument
names, script root) is built once with marker ids, then the ids are put in its place.
"""

from __future__ import annotations

import re

from flask import current_app, request, url_for

_MARKER = 987654300  # ids no page has; argument i is built as _MARKER + i
_MARKERS = re.compile(r"(9876543\d\d)")


def link(endpoint: str, **ids: int) -> str:
    """``url_for(endpoint, **ids)`` for integer ids, as ``url_for`` would write it."""
    kept = current_app.extensions.setdefault("link_patterns", {})
    key = (endpoint, request.script_root, *ids)
    pattern = kept.get(key)
    if pattern is None:
        pattern = kept[key] = _pattern(endpoint, tuple(ids))
    return "".join(part if name is None else str(int(ids[name])) for part, name in pattern)


def _pattern(endpoint: str, names: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """The built URL cut into literal text and argument slots: (text, None) or ("", name)."""
    built = url_for(endpoint, **{name: _MARKER + i for i, name in enumerate(names)})
    parts = []
    for piece in _MARKERS.split(built):
        marker = int(piece) - _MARKER if _MARKERS.fullmatch(piece) else None
        parts.append(("", names[marker]) if marker is not None else (piece, None))
    return tuple(parts)
