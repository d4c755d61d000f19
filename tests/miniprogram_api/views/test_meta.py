"""Liveness and readiness: /healthz never touches the database; /readyz is a 503 envelope
while the database is unreachable or its schema is behind this code's migrations."""

from __future__ import annotations

import peewee
import pytest

from miniprogram_api.views import meta


@pytest.fixture
def fresh_readiness(monkeypatch):
    monkeypatch.setattr(meta, "_schema_current", [])


def test_healthz_answers_without_the_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise peewee.OperationalError("down")

    monkeypatch.setattr(meta.database.obj, "execute_sql", broken)
    res = client.get("/healthz")
    assert res.status_code == 200 and res.get_json()["data"]["status"] == "alive"


def test_readyz_is_ready_on_a_migrated_database(client, fresh_readiness):
    res = client.get("/readyz")
    assert res.status_code == 200 and res.get_json()["data"]["status"] == "ready"


def test_readyz_is_503_while_migrations_are_pending(client, fresh_readiness, monkeypatch):
    monkeypatch.setattr(meta.migrations, "pending", lambda db: ["0099_future"])
    res = client.get("/readyz")
    assert res.status_code == 503
    assert res.get_json()["error"]["code"] == "service.schema_behind"


def test_readyz_is_503_when_the_database_is_unreachable(client, fresh_readiness, monkeypatch):
    def broken(*args, **kwargs):
        raise peewee.OperationalError("connection refused 10.0.0.5")

    monkeypatch.setattr(meta.database.obj, "execute_sql", broken)
    res = client.get("/readyz")
    assert res.status_code == 503
    body = res.get_json()
    assert body["error"]["code"] == "service.database_unavailable"
    assert "10.0.0.5" not in res.get_data(as_text=True)
