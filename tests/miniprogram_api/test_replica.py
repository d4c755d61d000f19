"""Anonymous public GET routes read the replica (``DATABASE_REPLICA_URL``); writes and
authenticated routes read the primary; a dead replica is replaced by the primary, with one
warning, and /readyz reports it but stays ready.

The replica is a second database holding different rows (tests/replica_db.py), so which one
answered shows in the response."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint

from app.accounts.models import User
from app.db import database, replica, using
from app.regions.models import Region
from app.transparency import services as tlog
from miniprogram_api import create_app
from miniprogram_api.api import endpoint
from tests import replica_db
from tests.factories import bearer, build_tree, grant, make_user
from tests.replica_db import REPLICA_DISTRICT, REPLICA_VILLAGE, dead_url

replica_url = replica_db.replica_url
replica_writer = replica_db.replica_writer
use_replica = replica_db.use_replica
on_replica = replica_db.on_replica

READS_REPLICA = {
    "/api/v1/regions", "/api/v1/regions/<int:region_id>/children",
    "/api/v1/transparency/public-keys", "/api/v1/transparency/<town_code>/checkpoint",
    "/api/v1/transparency/<town_code>/leaves/<int:index>",
    "/api/v1/transparency/<town_code>/records/<record_type>/<record_id>",
    "/api/v1/transparency/<town_code>/proof/inclusion",
    "/api/v1/transparency/<town_code>/proof/consistency",
    "/open311/v2/services.json", "/open311/v2/requests.json",
    "/p/villages/<code>/disclosures", "/p/disclosures/<int:disclosure_id>",
    "/p/villages/<code>/notices", "/p/notices/<int:notice_id>",
    "/p/disclosures/<int:disclosure_id>/print", "/p/notices/<int:notice_id>/print",
    "/p/villages/<code>/projects", "/p/project-rounds/<int:round_id>",
}


@pytest.fixture
def tree():
    return build_tree()


def root_names(client) -> list[str]:
    res = client.get("/api/v1/regions")
    assert res.status_code == 200
    return [item["name"] for item in res.get_json()["data"]["items"]]


def test_the_region_picker_reads_the_replica(client, tree, on_replica):
    assert root_names(client) == [REPLICA_DISTRICT]
    res = client.get(f"/api/v1/regions/{on_replica['district'].id}/children")
    assert [item["name"] for item in res.get_json()["data"]["items"]] == ["副本街道"]


def test_a_public_page_reads_the_replica(client, tree, on_replica):
    res = client.get(f"/p/villages/{on_replica['village'].code}/disclosures")
    assert res.status_code == 200 and REPLICA_VILLAGE in res.text
    assert client.get(f"/p/villages/{tree.village_a1.code}/disclosures").status_code == 404


def test_the_transparency_log_is_read_from_the_replica(client, tree, on_replica,
                                                       replica_writer):
    town = on_replica["town"]
    with replica_writer.connection_context(), using(replica_writer):
        tlog.append_record(town.id, "disclosure", 1, {"title": "副本公开"})
    res = client.get(f"/api/v1/transparency/{town.code}/leaves/0")
    assert res.status_code == 200 and res.get_json()["data"]["record_type"] == "disclosure"
    missing = client.get(f"/api/v1/transparency/{tree.town_a.code}/leaves/0")
    assert missing.get_json()["error"]["code"] == "transparency.log_not_found"


def test_authenticated_routes_read_the_primary(client, tree, on_replica):
    staff = make_user()
    grant(staff, "cadre", tree.town_a)
    res = client.get(f"/admin/api/v1/regions/{tree.town_a.id}", headers=bearer(staff, "staff"))
    assert res.status_code == 200 and res.get_json()["data"]["name"] == "东海街道"
    resident = make_user(name="居民甲")
    assert client.get("/api/v1/me", headers=bearer(resident)).status_code == 200


def test_writes_go_to_the_primary(client, fake_wechat, on_replica, replica_writer):
    res = client.post("/api/v1/auth/wx-login",
                      json={"code": fake_wechat.issue_login_code("oReplicaTest")})
    assert res.status_code == 200
    assert User.select().where(User.openid == "oReplicaTest").count() == 1
    with replica_writer.connection_context(), using(replica_writer):
        assert User.select().where(User.openid == "oReplicaTest").count() == 0


def test_a_dead_replica_serves_public_routes_from_the_primary(client, tree, use_replica,
                                                               database_url, caplog):
    use_replica(dead_url(database_url))
    with caplog.at_level(logging.WARNING):
        assert root_names(client) == ["丰泽区"]
        page = client.get(f"/p/villages/{tree.village_a1.code}/disclosures")
        ready = client.get("/readyz")
    assert page.status_code == 200 and "东星社区" in page.text
    assert ready.status_code == 200
    assert ready.get_json()["data"] == {"status": "ready", "replica": "unavailable"}
    warnings = [r for r in caplog.records if r.name == "linli.db.replica"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert tree.village_a1.code not in caplog.text


def test_readyz_reports_the_replica_state(client, on_replica):
    assert client.get("/readyz").get_json()["data"]["replica"] == "ok"
    replica.initialize(database.obj)
    assert client.get("/readyz").get_json()["data"]["replica"] == "none"


def test_only_anonymous_get_routes_read_the_replica(app):
    reading = {rule.rule: rule.methods for rule in app.url_map.iter_rules()
               if getattr(app.view_functions[rule.endpoint], "reads_replica", False)}
    assert set(reading) == READS_REPLICA
    assert all(methods <= {"GET", "HEAD", "OPTIONS"} for methods in reading.values())


@pytest.mark.parametrize("options", [{"auth": "user"}, {"auth": "optional"},
                                     {"auth": None, "method": "POST"}])
def test_the_endpoint_decorator_refuses_the_replica_for_callers_or_writes(options):
    with pytest.raises(ValueError, match="replica"):
        endpoint(Blueprint("x", __name__), "/x", summary="x", replica=True, **options)


def test_the_factory_wires_DATABASE_REPLICA_URL(settings, replica_url, replica_writer):
    replica_db.seed_replica(replica_writer)
    primary = database.obj
    create_app(settings.with_overrides(database_replica_url=replica_url))
    try:
        assert replica.obj is not database.obj
        with replica.obj.connection_context(), using(replica.obj):
            assert [r.name for r in Region.select()][:1] == [REPLICA_DISTRICT]
    finally:
        new_primary, new_replica = database.obj, replica.obj
        database.initialize(primary)
        replica.initialize(primary)
        new_primary.close_all()
        new_replica.close_all()
