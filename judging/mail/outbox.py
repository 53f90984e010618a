"""The embedded mail "server": each message becomes one ``.eml`` file in ``instance/outbox``.

The site administrator reads them in the browser, so a demo works with no mail server.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]{6}-[0-9a-f]{8}\.eml$")


def outbox_path() -> Path:
    """Where the outbox lives (``MAIL_OUTBOX``, default ``instance/outbox``)."""
    return Path(current_app.config["MAIL_OUTBOX"])


class EmailBackend(BaseEmailBackend):
    """A Flask-Mailman backend that writes instead of sending; same code path as SMTP."""

    def send_messages(self, email_messages) -> int:
        folder = outbox_path()
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{os.urandom(4).hex()}.eml"
            tmp = folder / f".{name}"
            tmp.write_bytes(message.message().as_bytes())
            tmp.replace(folder / name)  # readers never see half a message
        return len(email_messages)


@dataclass
class Stored:
    """One message in the outbox as the administrator sees it."""

    name: str
    to: str
    subject: str
    date: datetime | None
    text: str = ""
    html: str = ""


def list_outbox(limit: int = 200) -> list[Stored]:
    """The newest messages first (headers only)."""
    folder = outbox_path()
    if not folder.is_dir():
        return []
    names = sorted((n for n in os.listdir(folder) if NAME.match(n)), reverse=True)[:limit]
    return [read_message(name, headers_only=True) for name in names]


def read_message(name: str, *, headers_only: bool = False) -> Stored | None:
    """One stored message by its file name; None for anything that is not one."""
    if not NAME.match(name or "") or not (outbox_path() / name).is_file():
        return None
    with open(outbox_path() / name, "rb") as handle:
        parsed = email.message_from_binary_file(handle, policy=email.policy.default)
    stored = Stored(name, str(parsed["To"] or ""), str(parsed["Subject"] or ""),
                    parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None)
    if not headers_only:
        for part, attr in (("plain", "text"), ("html", "html")):
            body = parsed.get_body(preferencelist=(part,))
            if body is not None:
                setattr(stored, attr, body.get_content())
    return stored
