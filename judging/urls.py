"""Links: absolute ones from the one canonical base URL, never the Host header; page links fast."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask.globals import request_ctx


def external_url(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` under ``BASE_URL``; works in requests, jobs and the CLI."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_NOT_KEPT = object()


def path_for(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` for links to pages whose arguments are all ids.

    ``url_for`` matches the endpoint's rules on each call (a page builds several links); such a
    rule is fixed text with the ids put in, kept per endpoint and checked against the router
    once. The prefix is the request's (``SCRIPT_NAME``, or ``BASE_URL``'s path for a refused
    host), as ``url_for`` gives. Anything else (other arguments, no request) is ``url_for``'s.
    """
    app = current_app._get_current_object()
    kept = app.extensions.setdefault("judging.url_patterns", {})
    pattern = kept.get(endpoint, _NOT_KEPT)
    if pattern is _NOT_KEPT:
        pattern = kept[endpoint] = _pattern(app, endpoint)
    adapter = request_ctx.url_adapter if has_request_context() else None
    if (pattern is None or adapter is None or values.keys() != pattern[1]
            or not all(type(v) is int for v in values.values())):
        return url_for(endpoint, **values)
    return adapter.script_name.rstrip("/") + pattern[0].format_map(values)


def _pattern(app, endpoint: str) -> tuple[str, frozenset] | None:
    """The endpoint's one rule as ``/jury/entry/{entry_id}`` when every argument is an id."""
    rules = list(app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].defaults or rules[0].subdomain or app.url_map.host_matching:
        return None
    rule = rules[0]
    names = []

    def placeholder(match):
        if match.group(1) != "int":
            raise LookupError(match.group(0))
        names.append(match.group(2))
        return "{" + match.group(2) + "}"

    try:
        text = _ARGUMENT.sub(placeholder, rule.rule.replace("{", "{{").replace("}", "}}"))
    except LookupError:
        return None
    sample = {name: 987654321 + i for i, name in enumerate(names)}
    built = app.url_map.bind("localhost").build(endpoint, sample)
    return (text, frozenset(names)) if built == text.format_map(sample) else None
