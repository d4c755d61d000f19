"""HTTP: the console's configuration of requests — units, members, routing rules, categories."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.requests.models import HandlingUnit, UnitMember
from tests.app.requests import conftest as requests_conftest
from tests.factories import bearer

API = "/admin/api/v1"
town = requests_conftest.town  # the service tests' small town, shared


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_units_are_listed_newest_first_with_their_responsibilities(client, town):
    res = client.get(f"{API}/request-units?limit=1", headers=staff(town.town_admin))
    assert res.status_code == 200
    page = res.get_json()["data"]
    [unit] = page["items"]
    assert unit == {"id": town.dept_unit.id, "name": "东海街道城管科", "kind": "department",
                    "region_id": town.tree.town_a.id, "region_name": "东海街道",
                    "responsibilities": ["占道经营", "违章搭建"], "active": True}
    more = client.get(f"{API}/request-units?limit=1&cursor={page['next_cursor']}",
                      headers=staff(town.town_admin)).get_json()["data"]
    assert [u["id"] for u in more["items"]] == [town.grid_unit.id]
    assert more["next_cursor"] is None  # town B's unit is outside the scope


def test_a_unit_is_created_with_its_list_and_audited(client, town):
    body = {"name": "东星社区物业办", "kind": "village", "region_id": town.tree.village_a1.id,
            "responsibilities": ["物业纠纷协调", "  "]}
    res = client.post(f"{API}/request-units", json=body, headers=staff(town.town_admin))
    assert res.status_code == 201
    unit = res.get_json()["data"]
    assert unit["responsibilities"] == ["物业纠纷协调"] and unit["region_name"] == "东星社区"
    assert AuditEntry.select().where((AuditEntry.action == "request.create_unit")
                                     & (AuditEntry.object_id == str(unit["id"]))).exists()


def test_a_bad_unit_kind_is_a_validation_error(client, town):
    res = client.post(f"{API}/request-units", headers=staff(town.town_admin),
                      json={"name": "x", "kind": "team", "region_id": town.tree.town_a.id})
    assert res.status_code == 422 and code_of(res) == "validation.failed"


def test_members_are_added_once(client, town):
    url = f"{API}/request-units/{town.dept_unit.id}/members"
    first = client.post(url, json={"user_id": town.neighbour.id}, headers=staff(town.town_admin))
    again = client.post(url, json={"user_id": town.neighbour.id}, headers=staff(town.town_admin))
    assert first.status_code == again.status_code == 201
    assert first.get_json()["data"] == again.get_json()["data"]
    assert UnitMember.select().where(UnitMember.unit == town.dept_unit.id).count() == 2


def test_an_unknown_unit_is_404(client, town):
    res = client.post(f"{API}/request-units/999/members", json={"user_id": town.neighbour.id},
                      headers=staff(town.town_admin))
    assert res.status_code == 404 and code_of(res) == "request.unit_not_found"


def test_routing_rules_are_listed_and_added(client, town):
    res = client.post(f"{API}/routing-rules", headers=staff(town.town_admin), json={
        "region_id": town.tree.village_a2.id, "unit_id": town.dept_unit.id,
        "category_code": "safety"})
    assert res.status_code == 201
    created = res.get_json()["data"]
    assert created["unit_name"] == "东海街道城管科" and created["category_code"] == "safety"
    res = client.get(f"{API}/routing-rules", headers=staff(town.town_admin))
    items = res.get_json()["data"]["items"]
    assert [r["id"] for r in items][0] == created["id"] and len(items) == 3


def test_a_unit_cannot_be_routed_outside_its_area(client, town):
    res = client.post(f"{API}/routing-rules", headers=staff(town.town_admin), json={
        "region_id": town.tree.village_a2.id, "unit_id": town.grid_unit.id})
    assert res.status_code == 422 and code_of(res) == "request.unit_out_of_area"


def test_a_towns_categories_are_read_and_overridden(client, town):
    url = f"{API}/request-categories"
    res = client.put(url, headers=staff(town.town_admin), json={
        "town_id": town.tree.town_a.id, "code": "roads", "name": "道路与停车",
        "resolve_days": 5})
    assert res.status_code == 200
    assert res.get_json()["data"] == {"code": "roads", "name": "道路与停车", "resolve_days": 5,
                                      "active": True, "customised": True}
    page = client.get(f"{url}?town_id={town.tree.town_a.id}&limit=5",
                      headers=staff(town.town_admin)).get_json()["data"]
    assert [c["code"] for c in page["items"]] == ["disclosure", "elderly", "environment",
                                                  "neighbour", "other"]
    rest = client.get(f"{url}?town_id={town.tree.town_a.id}&cursor={page['next_cursor']}",
                      headers=staff(town.town_admin)).get_json()["data"]
    roads = next(c for c in rest["items"] if c["code"] == "roads")
    assert roads["resolve_days"] == 5 and roads["customised"] is True
    assert rest["next_cursor"] is None


def test_category_limits_and_codes_are_validated(client, town):
    url = f"{API}/request-categories"
    for body in ({"code": "Roads!", "name": "x"}, {"code": "roads", "name": "x",
                                                    "resolve_days": 61}):
        res = client.put(url, headers=staff(town.town_admin),
                         json={"town_id": town.tree.town_a.id, **body})
        assert res.status_code == 422
    bad = client.get(f"{url}?town_id={town.tree.town_a.id}&cursor=bm9wZQ",
                     headers=staff(town.town_admin))
    assert bad.status_code == 422 and code_of(bad) == "pagination.bad_cursor"


@pytest.mark.parametrize("who", ["grid_worker", "cadre", "discipline"])
def test_other_staff_are_refused(client, town, who):
    headers = staff(getattr(town, who))
    units = HandlingUnit.select().count()
    calls = [
        client.get(f"{API}/request-units", headers=headers),
        client.post(f"{API}/request-units", headers=headers, json={
            "name": "x", "kind": "grid", "region_id": town.tree.grid_a1.id}),
        client.post(f"{API}/request-units/{town.grid_unit.id}/members", headers=headers,
                    json={"user_id": town.neighbour.id}),
        client.get(f"{API}/routing-rules", headers=headers),
        client.post(f"{API}/routing-rules", headers=headers, json={
            "region_id": town.tree.grid_a1.id, "unit_id": town.grid_unit.id}),
        client.get(f"{API}/request-categories?town_id={town.tree.town_a.id}", headers=headers),
        client.put(f"{API}/request-categories", headers=headers, json={
            "town_id": town.tree.town_a.id, "code": "roads", "name": "改名"}),
    ]
    assert [r.status_code for r in calls] == [403] * len(calls)
    assert {code_of(r) for r in calls} == {"permission.denied"}
    assert HandlingUnit.select().count() == units


def test_residents_and_anonymous_callers_are_refused(client, town):
    resident = bearer(town.resident)  # a mini-program token
    assert code_of(client.get(f"{API}/request-units", headers=resident)) == "auth.staff_only"
    assert client.get(f"{API}/routing-rules").status_code == 401
