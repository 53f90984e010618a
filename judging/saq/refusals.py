"""Why an SAQ action cannot be done, in Indonesian and English; nothing was changed."""

from __future__ import annotations

from judging.i18n import pick


class SaqRefused(Exception):
    """A refused SAQ action; the caller rolls back and shows the message in the user's language."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en

    def __str__(self) -> str:
        return pick(self.message_id, self.message_en)


def not_found() -> SaqRefused:
    """An object asked for through the wrong parent (another body, another category)."""
    return SaqRefused("Data SAQ tidak ditemukan.", "SAQ data not found.")
