"""Evidence links for SAQ answers: https only, never a private, loopback or link-local host.

Checked by form alone (no DNS lookup): literal IP addresses in any spelling browsers
accept, and names that can only mean a local machine, are refused.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from judging.entries.links import clean_url
from judging.refusals import Refused

LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa",
                  ".intranet", ".corp")
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                         "metadata.google.internal"})
_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)")


def check_link(raw: str) -> str:
    """Return the trimmed https address, or raise Refused saying why it cannot be kept.

    The form rules every evidence link follows come from ``entries.links.clean_url``;
    SAQ evidence must also be https and point at a public host.
    """
    url = clean_url(raw)
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise _not_https()
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
