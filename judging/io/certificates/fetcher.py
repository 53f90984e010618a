"""Allowlisted URL fetcher for certificate rendering.

WeasyPrint asks its URL fetcher for every image, stylesheet, font and attachment a
document names. Certificates carry text typed by organizers and participants, so the
fetcher serves only ``resource:NAME`` URLs whose NAME the caller put in an allowlist
(the app's own static files, the competition's uploaded logo and signatures) and
refuses everything else: ``file:``, ``http(s):`` (any host), ``data:``, other schemes.
It never touches the network, so there is no redirect to follow. ``ResourceFetcher``
subclasses WeasyPrint's fetcher, so the class is built on first use, not at import.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SCHEME = "resource:"


@dataclass(frozen=True)
class FetchAttempt:
    """One URL WeasyPrint asked for, and whether it was served."""

    url: str
    served: bool
    reason: str = ""


class ResourceRefused(ValueError):
    """A URL outside the allowlist; WeasyPrint catches it and skips the resource."""


def resource_url(name: str) -> str:
    """The URL a template uses to name an allowlisted resource."""
    return SCHEME + name


def __getattr__(name: str):
    if name == "ResourceFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _fetcher_class():
    """The allowlisted fetcher class; defined here because its base is WeasyPrint's."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ResourceFetcher(URLFetcher):
        """Serve ``resource:NAME`` from ``resources``; refuse and record everything else."""

        def __init__(self, resources: dict[str, bytes | Path], attempts: list | None = None):
            super().__init__(allowed_protocols=(), allow_redirects=False)
            self.resources = resources
            self.attempts: list[FetchAttempt] = attempts if attempts is not None else []

        def fetch(self, url, headers=None):
            """Answer WeasyPrint's request for ``url`` from the allowlist, or raise."""
            name = url[len(SCHEME):] if url.startswith(SCHEME) else None
            if name is None or name not in self.resources:
                reason = "not resource: scheme" if name is None else "name not in allowlist"
                self.attempts.append(FetchAttempt(url, False, reason))
                log.warning("certificate fetch refused: %.200s (%s)", url, reason)
                raise ResourceRefused(f"refused: {url[:200]}")
            self.attempts.append(FetchAttempt(url, True))
            return URLFetcherResponse(url, _read(self.resources[name]), _headers(name))

        def open(self, url, data=None, timeout=None):
            """Route urllib-style calls through ``fetch`` so nothing bypasses the allowlist."""
            return self.fetch(getattr(url, "full_url", url))

    return ResourceFetcher


def _read(source: bytes | Path) -> bytes:
    return source.read_bytes() if isinstance(source, Path) else bytes(source)


def _headers(name: str) -> dict[str, str]:
    mime, _ = mimetypes.guess_type(name)
    return {"Content-Type": mime or "application/octet-stream"}
