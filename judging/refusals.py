"""The one bilingual refusal, and notices, carrying Indonesian and English text.

Every service raises :class:`Refused` (or a subclass that only adds a name, where a caller
catches the narrower kind); views show it through ``i18n.pick``. No Flask import here, so
pure rules (balancing) raise it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def in_language(message_id: str, message_en: str) -> str:
    """The Indonesian text, or the English one when the interface is in English."""
    from judging.i18n import pick

    return pick(message_id, message_en)


def both(message_id: str, message_en: str) -> str:
    """The pair written once for readers outside a request (job messages, CLI, logs)."""
    return f"{message_id} / {message_en}"


@dataclass(frozen=True)
class Notice:
    """One thing to tell the organizer (a missing step, a warning), in both languages."""

    message_id: str
    message_en: str

    def __str__(self) -> str:
        return in_language(self.message_id, self.message_en)


class Refused(Exception):
    """An action that cannot be done; nothing was changed. The caller rolls back.

    ``problems`` lists further notices to show; ``about`` names the ids the refusal is about
    (entries no juror can take), for a caller that reports them its own way.
    """

    def __init__(self, message_id: str, message_en: str, problems: list[Notice] | None = None,
                 *, about: Sequence[int] = ()):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.problems = list(problems or [])
        self.about = tuple(about)

    def __str__(self) -> str:
        return in_language(self.message_id, self.message_en)
