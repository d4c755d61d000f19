"""HTTP: the console's users, role grants, flags, audit log and region pages."""

from __future__ import annotations

import pytest

from app import crypto
from app.accounts import phone as phones
from app.accounts.models import RoleGrant, User
from tests.factories import bearer, build_tree, grant, make_user

API = "/admin/api/v1"


@pytest.fixture
def tree():
    return build_tree()


def staff_user(role, region):
    user = make_user()
    grant(user, role, region)
    return user


def staff_headers(role, region):
    return bearer(staff_user(role, region), "staff")


def with_phone(user, number):
    User.update(phone_hash=crypto.keyed_hash(phones.LOOKUP_PURPOSE, number),
                phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, number),
                phone_masked=phones.mask(number)).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def error_code(res):
    return res.get_json()["error"]["code"]


def test_staff_list_users_of_their_scope_with_masked_phones_only(client, tree):
    person = with_phone(make_user(household=tree.household_a1), "13812341234")
    make_user(household=tree.household_b1)
    res = client.get(f"{API}/users", headers=staff_headers("grid_worker", tree.grid_a1))
    assert res.status_code == 200
    items = {u["id"]: u for u in res.get_json()["data"]["items"]}
    assert person.id in items and len(items) == 2  # the person and the grid worker
    assert items[person.id]["phone_masked"] == "138****1234"
    assert items[person.id]["household"]["id"] == tree.household_a1.id
    body = res.get_data(as_text=True)
    assert "13812341234" not in body and person.phone_cipher not in body
    assert "phone_cipher" not in body and '"phone"' not in body


def test_users_page_newest_first(client, tree):
    people = [make_user(household=tree.household_a1) for _ in range(3)]
    headers = staff_headers("town_admin", tree.town_a)
    page = client.get(f"{API}/users?limit=2&region_id={tree.household_a1.id}",
                      headers=headers).get_json()["data"]
    assert [u["id"] for u in page["items"]] == [people[2].id, people[1].id]
    rest = client.get(f"{API}/users?limit=2&region_id={tree.household_a1.id}"
                      f"&cursor={page['next_cursor']}", headers=headers).get_json()["data"]
    assert [u["id"] for u in rest["items"]] == [people[0].id]


def test_lookup_by_phone(client, tree):
    person = with_phone(make_user(household=tree.household_a1), "13812341234")
    headers = staff_headers("cadre", tree.village_a1)
    found = client.get(f"{API}/users?phone=13812341234", headers=headers).get_json()["data"]
    assert [u["id"] for u in found["items"]] == [person.id]
    bad = client.get(f"{API}/users?phone=123", headers=headers)
    assert (bad.status_code, error_code(bad)) == (422, "phone.invalid")


def test_the_users_page_refuses_mini_program_tokens_and_reviewers(client, tree):
    user = staff_user("cadre", tree.village_a1)
    assert error_code(client.get(f"{API}/users", headers=bearer(user))) == "auth.staff_only"
    res = client.get(f"{API}/users", headers=staff_headers("finance_panel", tree.village_a1))
    assert res.status_code == 403


def test_a_sysadmin_grants_and_revokes_a_role(client, tree):
    headers = staff_headers("sysadmin", tree.town_a)
    target = make_user()
    res = client.post(f"{API}/users/{target.id}/grants", headers=headers,
                      json={"role": "grid_worker", "region_id": tree.grid_a1.id})
    assert res.status_code == 201
    data = res.get_json()["data"]
    assert (data["user_id"], data["role"], data["region"]["id"]) == (
        target.id, "grid_worker", tree.grid_a1.id)
    assert data["revoked_at"] is None
    gone = client.delete(f"{API}/grants/{data['id']}", headers=headers)
    assert gone.status_code == 200 and gone.get_json()["data"]["revoked_at"]
    again = client.delete(f"{API}/grants/{data['id']}", headers=headers)
    assert (again.status_code, error_code(again)) == (409, "grant.already_revoked")


def test_granting_validates_the_role_and_the_scope(client, tree):
    headers = staff_headers("sysadmin", tree.town_a)
    url = f"{API}/users/{make_user().id}/grants"
    unknown = client.post(url, headers=headers, json={"role": "mayor", "region_id": 1})
    assert unknown.status_code == 422 and "role" in unknown.get_json()["error"]["details"]["fields"]
    resident = client.post(url, headers=headers,
                           json={"role": "resident", "region_id": tree.household_a1.id})
    assert error_code(resident) == "grant.resident_from_binding"
    outside = client.post(url, headers=headers,
                          json={"role": "cadre", "region_id": tree.village_b1.id})
    assert outside.status_code == 403
    assert not RoleGrant.select().where(RoleGrant.role == "cadre").exists()


def test_a_town_admin_cannot_grant(client, tree):
    res = client.post(f"{API}/users/{make_user().id}/grants",
                      headers=staff_headers("town_admin", tree.town_a),
                      json={"role": "cadre", "region_id": tree.village_a1.id})
    assert res.status_code == 403


def test_a_grid_worker_marks_a_volunteer(client, tree):
    person = make_user(household=tree.household_a1)
    url = f"{API}/users/{person.id}/flags"
    headers = staff_headers("grid_worker", tree.grid_a1)
    res = client.post(url, headers=headers, json={"is_volunteer": True})
    assert res.status_code == 200
    assert res.get_json()["data"]["is_volunteer"] is True
    assert client.post(url, headers=headers, json={}).status_code == 422
    other = make_user(household=tree.household_b1)
    hidden = client.post(f"{API}/users/{other.id}/flags", headers=headers,
                         json={"is_volunteer": True})
    assert (hidden.status_code, error_code(hidden)) == (404, "user.not_found")


def test_the_audit_log_shows_the_town_admin_their_town(client, tree):
    worker = staff_headers("grid_worker", tree.grid_a1)
    mine = make_user(household=tree.household_a1)
    client.post(f"{API}/users/{mine.id}/flags", headers=worker, json={"is_volunteer": True})
    elsewhere = make_user(household=tree.household_b1)
    client.post(f"{API}/users/{elsewhere.id}/flags",
                headers=staff_headers("cadre", tree.village_b1), json={"is_volunteer": True})
    admin = staff_headers("town_admin", tree.town_a)
    res = client.get(f"{API}/audit?action=user.set_flags", headers=admin)
    items = res.get_json()["data"]["items"]
    assert [(e["object_type"], e["object_id"]) for e in items] == [("user", str(mine.id))]
    assert items[0]["actor_role"] == "grid_worker" and items[0]["at"].endswith("+08:00")
    assert client.get(f"{API}/audit?object_id=nope", headers=admin).get_json()[
        "data"]["items"] == []
    assert client.get(f"{API}/audit", headers=worker).status_code == 403


def test_narrowing_to_one_grant_drops_the_others_permissions(client, tree):
    user = staff_user("sysadmin", tree.town_a)
    cadre = grant(user, "cadre", tree.village_a1)
    headers = {**bearer(user, "staff"), "X-Linli-Grant": str(cadre.id)}
    assert client.get(f"{API}/audit", headers=headers).status_code == 403
    assert client.get(f"{API}/audit", headers=bearer(user, "staff")).status_code == 200


def test_the_region_page_shows_ancestors_and_pages_children(client, tree):
    headers = staff_headers("cadre", tree.town_a)
    data = client.get(f"{API}/regions/{tree.town_a.id}?limit=1",
                      headers=headers).get_json()["data"]
    assert (data["name"], data["level"], data["parent_id"]) == ("东海街道", "town",
                                                                tree.district.id)
    assert [r["id"] for r in data["ancestors"]] == [tree.district.id]
    assert [r["id"] for r in data["children"]] == [tree.village_a1.id]
    rest = client.get(f"{API}/regions/{tree.town_a.id}?limit=1&cursor={data['next_cursor']}",
                      headers=headers).get_json()["data"]
    assert [r["id"] for r in rest["children"]] == [tree.village_a2.id]
    assert rest["next_cursor"] is None
    assert client.get(f"{API}/regions/{tree.town_b.id}", headers=headers).status_code == 403
    missing = client.get(f"{API}/regions/999999", headers=headers)
    assert (missing.status_code, error_code(missing)) == (404, "region.not_found")
