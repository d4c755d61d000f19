"""HTTP: household bindings (resident and console sides) and the public region picker."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from tests.factories import bearer, build_tree, grant, make_user

MINE = "/api/v1/household-bindings"
ADMIN = "/admin/api/v1/household-bindings"


@pytest.fixture
def tree():
    return build_tree()


def staff_headers(role, region):
    user = make_user()
    grant(user, role, region)
    return bearer(user, "staff")


def ask(client, headers, household, **extra):
    body = {"household_id": household.id, "real_name": "张三", "relation": "户主", **extra}
    return client.post(MINE, headers=headers, json=body)


def error_code(res):
    return res.get_json()["error"]["code"]


def test_a_resident_asks_to_be_bound_and_sees_the_full_address(client, tree):
    res = ask(client, bearer(make_user()), tree.household_a1)
    assert res.status_code == 201
    data = res.get_json()["data"]
    assert data["status"] == "pending" and data["relation"] == "户主"
    assert data["household"]["address"] == "丰泽区 东海街道 东星社区 第一网格 1号楼 101室"
    assert data["created_at"].endswith("+08:00") and data["decided_at"] is None
    assert "user" not in data


def test_asking_needs_a_login(client, tree):
    res = ask(client, {}, tree.household_a1)
    assert res.status_code == 401


def test_missing_fields_are_reported_per_field(client, tree):
    res = client.post(MINE, headers=bearer(make_user()), json={"household_id": 1})
    assert res.status_code == 422
    assert set(res.get_json()["error"]["details"]["fields"]) == {"real_name", "relation"}


def test_a_building_is_not_a_household(client, tree):
    res = ask(client, bearer(make_user()), tree.building_a1)
    assert (res.status_code, error_code(res)) == (422, "binding.not_household")


def test_a_second_pending_request_is_a_conflict(client, tree):
    headers = bearer(make_user())
    ask(client, headers, tree.household_a1)
    res = ask(client, headers, tree.household_a2)
    assert (res.status_code, error_code(res)) == (409, "binding.pending_exists")


def test_the_grid_worker_pages_pending_requests_newest_first(client, tree):
    user = make_user(phone_masked="138****1234", phone_cipher="cipher-text")
    first = ask(client, bearer(user), tree.household_a1).get_json()["data"]
    second = ask(client, bearer(make_user()), tree.household_a1).get_json()["data"]
    ask(client, bearer(make_user()), tree.household_b1)
    headers = staff_headers("grid_worker", tree.grid_a1)
    page = client.get(f"{ADMIN}?status=pending&limit=1", headers=headers).get_json()["data"]
    assert [b["id"] for b in page["items"]] == [second["id"]]
    rest = client.get(f"{ADMIN}?limit=1&cursor={page['next_cursor']}",
                      headers=headers).get_json()["data"]
    assert [b["id"] for b in rest["items"]] == [first["id"]] and rest["next_cursor"] is None
    assert rest["items"][0]["user"]["phone_masked"] == "138****1234"
    assert "cipher-text" not in str(rest)


def test_the_console_list_needs_a_staff_token(client, tree):
    user = make_user()
    grant(user, "grid_worker", tree.grid_a1)
    res = client.get(ADMIN, headers=bearer(user))
    assert (res.status_code, error_code(res)) == (403, "auth.staff_only")


def test_an_unknown_status_is_a_validation_error(client, tree):
    res = client.get(f"{ADMIN}?status=odd", headers=staff_headers("cadre", tree.village_a1))
    assert res.status_code == 422


def test_approval_binds_the_resident(client, tree):
    user = make_user()
    binding = ask(client, bearer(user), tree.household_a1).get_json()["data"]
    res = client.post(f"{ADMIN}/{binding['id']}/approve", json={},
                      headers=staff_headers("grid_worker", tree.grid_a1))
    assert res.status_code == 200
    assert res.get_json()["data"]["status"] == "approved"
    me = client.get("/api/v1/me", headers=bearer(User.get_by_id(user.id))).get_json()["data"]
    assert me["is_resident"] is True and me["household"]["id"] == tree.household_a1.id
    assert [g["role"] for g in me["grants"]] == ["resident"]


def test_approving_elsewhere_is_not_found_and_twice_is_a_conflict(client, tree):
    binding = ask(client, bearer(make_user()), tree.household_a1).get_json()["data"]
    url = f"{ADMIN}/{binding['id']}/approve"
    other = client.post(url, json={}, headers=staff_headers("grid_worker", tree.grid_a2))
    assert (other.status_code, error_code(other)) == (404, "binding.not_found")
    headers = staff_headers("grid_worker", tree.grid_a1)
    assert client.post(url, json={}, headers=headers).status_code == 200
    again = client.post(url, json={}, headers=headers)
    assert (again.status_code, error_code(again)) == (409, "binding.already_decided")


def test_a_rejection_needs_a_reason_which_the_resident_then_sees(client, tree):
    headers = bearer(make_user())
    binding = ask(client, headers, tree.household_a1).get_json()["data"]
    url = f"{ADMIN}/{binding['id']}/reject"
    worker = staff_headers("grid_worker", tree.grid_a1)
    assert client.post(url, json={}, headers=worker).status_code == 422
    res = client.post(url, json={"reason": "请核对门牌号"}, headers=worker)
    assert res.get_json()["data"]["status"] == "rejected"
    mine = client.get(MINE, headers=headers).get_json()["data"]
    assert [(b["status"], b["reason"]) for b in mine] == [("rejected", "请核对门牌号")]


def test_a_town_admin_may_not_decide_bindings(client, tree):
    binding = ask(client, bearer(make_user()), tree.household_a1).get_json()["data"]
    res = client.post(f"{ADMIN}/{binding['id']}/approve", json={},
                      headers=staff_headers("town_admin", tree.town_a))
    assert (res.status_code, error_code(res)) == (403, "permission.denied")


def test_the_region_picker_is_public_and_pages_in_creation_order(client, tree):
    roots = client.get("/api/v1/regions").get_json()["data"]
    assert [r["id"] for r in roots["items"]] == [tree.district.id]
    url = f"/api/v1/regions/{tree.district.id}/children"
    page = client.get(f"{url}?limit=1").get_json()["data"]
    assert page["items"] == [{"id": tree.town_a.id, "code": tree.town_a.code,
                              "name": "东海街道", "level": "town"}]
    rest = client.get(f"{url}?limit=1&cursor={page['next_cursor']}").get_json()["data"]
    assert [r["id"] for r in rest["items"]] == [tree.town_b.id] and rest["next_cursor"] is None


def test_the_picker_reports_an_unknown_region(client):
    res = client.get("/api/v1/regions/999999/children")
    assert (res.status_code, error_code(res)) == (404, "region.not_found")


def test_a_bad_cursor_is_refused(client, tree):
    res = client.get(f"/api/v1/regions/{tree.district.id}/children?cursor=%%%")
    assert (res.status_code, error_code(res)) == (422, "pagination.bad_cursor")
