"""The SAQ's one shared refusal: an object asked for through the wrong parent."""

from __future__ import annotations

from judging.refusals import Refused


def not_found() -> Refused:
    """An object asked for through the wrong parent (another body, another category)."""
    return Refused("Data SAQ tidak ditemukan.", "SAQ data not found.")
