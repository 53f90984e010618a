"""A certificate action that cannot be done, with its reason in Indonesian and English."""

from __future__ import annotations

from judging.i18n import pick


class CertificateRefused(Exception):
    """Raised before anything is written, so a refusal never leaves half a change."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en

    def __str__(self) -> str:
        return pick(self.message_id, self.message_en)
