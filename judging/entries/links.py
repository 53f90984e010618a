"""Links participants give as evidence or as social-media accounts: http(s) only.

A link is shown to jurors as a clickable address, so anything but a plain web address
(``javascript:``, ``data:``, addresses with passwords or hidden characters) is refused.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from judging.refusals import Refused

MAX_URL = 2000


class LinkRefused(Refused):
    """A link that cannot be kept; forms catch this kind alone to mark the field."""


def clean_url(raw: str) -> str:
    """Return the trimmed address if it is a plain http(s) web address, else refuse it."""
    url = (raw or "").strip()
    if not url:
        raise LinkRefused("Alamat tautan kosong.", "The link is empty.")
    if len(url) > MAX_URL:
        raise LinkRefused(f"Alamat tautan terlalu panjang (maksimal {MAX_URL} karakter).",
                          f"The link is too long (at most {MAX_URL} characters).")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        raise LinkRefused("Alamat tautan berisi spasi atau karakter tersembunyi.",
                          "The link contains spaces or hidden characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _not_web() from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise _not_web()
    if parts.username is not None or parts.password is not None:
        raise LinkRefused("Alamat tautan tidak boleh berisi nama pengguna atau kata sandi.",
                          "The link must not contain a user name or password.")
    if "." not in parts.hostname.strip(".") and port is None:
        raise _not_web()
    return url


def clean_urls(lines: str, *, limit: int) -> list[str]:
    """Split a one-address-per-line text into clean links, refusing any bad one."""
    urls = [line.strip() for line in (lines or "").splitlines() if line.strip()]
    if len(urls) > limit:
        raise LinkRefused(f"Paling banyak {limit} tautan akun.",
                          f"At most {limit} account links.")
    cleaned = []
    for url in urls:
        try:
            cleaned.append(clean_url(url))
        except LinkRefused as exc:
            raise LinkRefused(f"{url[:80]}: {exc.message_id}", f"{url[:80]}: {exc.message_en}")\
                from exc
    return list(dict.fromkeys(cleaned))


def _not_web() -> LinkRefused:
    return LinkRefused(
        "Tautan harus berupa alamat web lengkap yang diawali http:// atau https://.",
        "The link must be a full web address starting with http:// or https://.",
    )
