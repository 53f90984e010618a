"""Why an SAQ action cannot be done, in Indonesian and English; nothing was changed."""

from __future__ import annotations

from judging.refusals import Refused


class SaqRefused(Refused):
    """A refused SAQ action; the caller rolls back and shows the message in the user's language."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en)


def not_found() -> SaqRefused:
    """An object asked for through the wrong parent (another body, another category)."""
    return SaqRefused("Data SAQ tidak ditemukan.", "SAQ data not found.")
