"""Refusals and notices that carry Indonesian and English text, shown in the user's language."""

from __future__ import annotations

from dataclasses import dataclass

from judging.i18n import pick


def in_language(message_id: str, message_en: str) -> str:
    """The Indonesian text, or the English one when the interface is in English."""
    return pick(message_id, message_en)


@dataclass(frozen=True)
class Notice:
    """One thing to tell the organizer (a missing step, a warning), in both languages."""

    message_id: str
    message_en: str

    def __str__(self) -> str:
        return in_language(self.message_id, self.message_en)


class Refused(Exception):
    """An organizer action that cannot be done; nothing was changed."""

    def __init__(self, message_id: str, message_en: str, problems: list[Notice] | None = None):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.problems = list(problems or [])

    def __str__(self) -> str:
        return in_language(self.message_id, self.message_en)
