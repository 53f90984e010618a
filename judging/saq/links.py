"""Evidence links for SAQ answers: https only, never a private, loopback or link-local host.

Checked by form alone (no DNS lookup): literal IP addresses in any spelling browsers
accept, and names that can only mean a local machine, are refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

from judging.refusals import Refused

MAX_URL = 2000
LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa",
                  ".intranet", ".corp")
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                         "metadata.google.internal"})
_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)")


def check_link(raw: str) -> str:
    """Return the trimmed https address, or raise Refused saying why it cannot be kept."""
    url = (raw or "").strip()
    if not url or len(url) > MAX_URL:
        raise Refused(f"Tautan kosong atau lebih dari {MAX_URL} karakter.",
                         f"The link is empty or longer than {MAX_URL} characters.")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        raise Refused("Tautan berisi spasi atau karakter tersembunyi.",
                         "The link contains spaces or hidden characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError as exc:
        raise _not_https() from exc
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise _not_https()
    if parts.username is not None or parts.password is not None:
        raise Refused("Tautan tidak boleh berisi nama pengguna atau kata sandi.",
                         "The link must not contain a user name or password.")
    if is_local_host(parts.hostname):
        raise Refused("Tautan harus menuju situs publik, bukan alamat lokal atau jaringan "
                         "internal.",
                         "The link must point to a public site, not a local or internal "
                         "address.")
    return url


def is_local_host(hostname: str) -> bool:
    """True for private, loopback, link-local and reserved IPs and for local-only names."""
    host = hostname.strip("[]").rstrip(".").lower()
    address = _as_ip(host)
    if address is not None:
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        return not address.is_global or address.is_multicast
    last = host.rsplit(".", 1)[-1]
    if _NUMERIC_LABEL.fullmatch(last):
        return True  # 127.1, 0x7f.1, 2130706433: IP spellings ipaddress does not parse
    return "." not in host or host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES)


def _as_ip(host: str):
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _not_https() -> Refused:
    return Refused("Tautan harus berupa alamat web lengkap yang diawali https://.",
                      "The link must be a full web address starting with https://.")
