"""Long table bodies of the organizer pages rendered once per process for the same rows.

The progress dashboard lists every entry short of marks (hundreds at the bench's size,
thousands in a province) and a ranking page fifty lines of a dozen cells: each view renders
the same rows again until a mark or an entry changes. The body is rendered from its
template macro the first time and kept under its exact inputs, so a page served from it
is the page the macro would draw.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app, get_template_attribute
from markupsafe import Markup

KEPT = 64  # table bodies a process keeps
_KEEPING = Lock()


def kept_fragment(template: str, macro: str, *args, depends: tuple = ()) -> Markup:
    """``macro`` of ``template`` called with ``args`` (hashable); ``args`` and ``depends``
    (the language, the script root: what the macro reads besides its arguments) are all
    it depends on."""
    key = (template, macro, args, depends)
    kept = current_app.extensions.setdefault("juara.kept_fragments", OrderedDict())
    found = kept.get(key)
    if found is None:
        found = Markup(get_template_attribute(template, macro)(*args))
    with _KEEPING:
        kept[key] = found
        kept.move_to_end(key)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return found
