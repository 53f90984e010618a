"""Requests for an unknown Host are refused with the friendly 400 page.

Flask checks ``TRUSTED_HOSTS`` while building the request's URL adapter and leaves no
adapter when the host is unknown, so even the error page could not build its links.
Here the refused request gets an adapter bound to ``BASE_URL`` instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.routing import MapAdapter

UNKNOWN_HOST = _l("Alamat situs yang diminta tidak dilayani oleh aplikasi ini.")


class CanonicalHostFlask(Flask):
    """Flask whose refused requests can still render pages, linked to the canonical host."""

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        try:
            return super().create_url_adapter(request)
        except SecurityError:
            if request is None:
                raise
            request.routing_exception = BadRequest(description=UNKNOWN_HOST)
            return canonical_adapter(self)


def canonical_adapter(app: Flask) -> MapAdapter:
    """URL building on ``BASE_URL``, whatever the request said its host was."""
    base = urlsplit(app.config["BASE_URL"])
    return app.url_map.bind(base.netloc, script_name=base.path or "/",
                            url_scheme=base.scheme or "https")
