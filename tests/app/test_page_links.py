"""``path_for`` gives exactly ``url_for``'s link, under a prefix and for a refused host too."""

from __future__ import annotations

import pytest
from flask import url_for

from judging.urls import path_for


def _id_endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.arguments and all(
                type(rule._converters[name]).__name__ == "IdConverter" for name in rule.arguments):
            yield rule.endpoint, {name: 40 + i for i, name in enumerate(sorted(rule.arguments))}


@pytest.mark.parametrize("script_name", ["", "/juara", "/sub/dir/"])
def test_every_id_page_link_is_url_fors_under_any_prefix(app, script_name):
    endpoints = list(_id_endpoints(app))
    assert len(endpoints) > 50 and ("jury.entry", {"entry_id": 40}) in endpoints
    with app.test_request_context("/", environ_base={"SCRIPT_NAME": script_name}):
        for endpoint, values in endpoints:
            assert path_for(endpoint, **values) == url_for(endpoint, **values), endpoint
    kept = app.extensions["judging.url_patterns"]
    assert kept["jury.entry"] == ("/jury/entry/{entry_id}", frozenset({"entry_id"}))


def test_other_links_are_left_to_url_for(app):
    with app.test_request_context("/"):
        assert path_for("public.home") == url_for("public.home")
        assert path_for("jury.entry", entry_id=5, inline=1) == "/jury/entry/5?inline=1"
        assert path_for("jury.entry", entry_id="5") == url_for("jury.entry", entry_id="5")
        with pytest.raises(Exception, match="entry_id"):
            path_for("jury.entry", entry_id=None)


def test_a_refused_host_links_under_the_canonical_path(app):
    app.config["BASE_URL"] = "https://juara.example.go.id/lomba"
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert path_for("jury.entry", entry_id=7) == url_for("jury.entry", entry_id=7)
        assert path_for("jury.entry", entry_id=7) == "/lomba/jury/entry/7"
