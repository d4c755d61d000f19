"""The bot's routes appear in the OpenAPI document although they speak WeChat's formats."""

from __future__ import annotations

import re


def test_every_bot_route_is_documented(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routes = [r for r in app.url_map.iter_rules() if r.rule.startswith("/bot/")]
    assert len(routes) == 4
    for rule in routes:
        path = re.sub(r"<(?:[a-z_]+:)?([a-zA-Z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path}"
