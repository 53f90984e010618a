"""Every route must declare who may reach it; a new undeclared route fails here."""

from judging.permissions import AUDIENCES

EXEMPT = {"static"}  # Flask's static files: public assets with no data


def test_every_route_declares_its_audience(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT:
            continue
        view = app.view_functions[rule.endpoint]
        audiences = getattr(view, "access", None)
        if not audiences or not set(audiences) <= set(AUDIENCES):
            undeclared.append(rule.rule)
    assert undeclared == []


def test_the_walk_sees_an_undeclared_route(app):
    @app.route("/__undeclared")
    def undeclared():
        return "x"

    view = app.view_functions["undeclared"]
    assert getattr(view, "access", None) is None


def test_non_public_routes_refuse_anonymous_visitors(app, client):
    """Every GET route not declared public redirects an anonymous visitor to login."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT or "GET" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        if "public" in view.access:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
            url = url.replace(f"<string:{argument}>", "x").replace(f"<path:{argument}>", "x")
        response = client.get(url)
        assert response.status_code in (302, 401), (rule.rule, response.status_code)
        checked += 1
    assert checked >= 3
