"""HTTP: the staff side of points — pools, rules, stars, awards, reversals, statements, events,
rankings and the store — with denials by role and scope."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.points.services import record_points_event
from tests.app.points.conftest import make_village
from tests.factories import bearer

API = "/admin/api/v1/points"


@pytest.fixture
def village():
    return make_village()


def staff(user):
    return bearer(user, "staff")


def test_a_town_admin_opens_a_pool_and_a_cadre_cannot_outside_their_village(client, village):
    res = client.post(f"{API}/pools", json={"village_id": village.tree.village_a2.id},
                      headers=staff(village.town_admin))
    assert res.status_code == 201 and res.get_json()["data"]["kind"] == "pool"
    denied = client.post(f"{API}/pools", json={"village_id": village.tree.village_a2.id},
                         headers=staff(village.cadre))
    assert denied.status_code == 403


def test_a_new_rule_version_applies_and_the_old_one_stays_in_history(client, village):
    res = client.post(f"{API}/rules", headers=staff(village.cadre), json={
        "region_id": village.tree.village_a1.id, "event_type": "wish.fulfilled",
        "points": 8, "reason": "鼓励认领"})
    assert res.status_code == 201 and res.get_json()["data"]["version"] == 1
    event = record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                                village.tree.village_a1.id)
    history = client.get(f"{API}/rules?region_id={village.tree.village_a1.id}",
                         headers=staff(village.cadre)).get_json()["data"]["items"]
    assert {(r["event_type"], r["points"]) for r in history} >= {("wish.fulfilled", 8),
                                                                 ("wish.fulfilled", 5)}
    line = client.get(f"{API}/transfers/{event.transfer_id}",
                      headers=staff(village.cadre)).get_json()["data"]
    assert line["amount"] == 8 and line["rule_id"] == res.get_json()["data"]["id"]


def test_residents_and_mini_program_tokens_cannot_use_the_console(client, village):
    assert client.get(f"{API}/accounts", headers=bearer(village.resident)).status_code == 403
    assert client.get(f"{API}/accounts", headers=bearer(village.cadre)).status_code == 403


def test_award_then_reverse_through_the_api_is_audited(client, village):
    award = client.post(f"{API}/awards", headers=staff(village.grid_worker), json={
        "user_id": village.resident.id, "points": 12, "reason": "扶老人过马路",
        "request_key": "a1"})
    assert award.status_code == 201
    transfer_id = award.get_json()["data"]["transfer_id"]
    denied = client.post(f"{API}/transfers/{transfer_id}/reverse",
                         headers=staff(village.grid_worker), json={"reason": "误录"})
    assert denied.status_code == 403
    res = client.post(f"{API}/transfers/{transfer_id}/reverse", headers=staff(village.cadre),
                      json={"reason": "误录", "amount": 2})
    assert res.status_code == 201 and res.get_json()["data"]["reverses_id"] == transfer_id
    actions = {a.action for a in AuditEntry.select()}
    assert {"points.award", "points.reverse"} <= actions


def test_account_statement_and_detail_for_staff_in_scope_only(client, village):
    event = record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                                village.tree.village_a1.id)
    from app.points.models import PointsTransfer

    account_id = PointsTransfer.get_by_id(event.transfer_id).to_account_id
    detail = client.get(f"{API}/accounts/{account_id}", headers=staff(village.cadre))
    assert detail.get_json()["data"]["standing"]["balance"] == 5
    lines = client.get(f"{API}/accounts/{account_id}/lines", headers=staff(village.cadre))
    assert lines.get_json()["data"]["items"][0]["source_ref"] == "wish:1"
    hidden = client.get(f"{API}/accounts/{account_id}", headers=staff(village.other_cadre))
    assert hidden.status_code == 404
    listed = client.get(f"{API}/accounts?kind=person", headers=staff(village.cadre))
    assert [a["id"] for a in listed.get_json()["data"]["items"]] == [account_id]


def test_pending_events_say_what_they_wait_for(client, village):
    record_points_event("wish.fulfilled", "wish:2", village.visitor.id,
                        village.tree.village_a1.id)
    res = client.get(f"{API}/events?status=pending", headers=staff(village.cadre))
    items = res.get_json()["data"]["items"]
    assert [(e["source_ref"], e["waiting_for"]) for e in items] == [
        ("wish:2", "beneficiary_unbound")]


def test_staff_rankings_and_star_schemes(client, village):
    record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                        village.tree.village_a1.id, quantity=4)
    res = client.post(f"{API}/star-schemes", headers=staff(village.cadre), json={
        "region_id": village.tree.village_a1.id, "account_kind": "person",
        "thresholds": [10, 30]})
    assert res.status_code == 201
    ranking = client.get(f"{API}/rankings?region_id={village.tree.town_a.id}&period=all",
                         headers=staff(village.town_admin)).get_json()["data"]
    assert ranking["scope_level"] == "town"
    assert ranking["rows"][0]["name"] == "张阿姨" and ranking["rows"][0]["stars"] == 1


def test_the_store_from_the_console(client, village):
    made = client.post(f"{API}/items", headers=staff(village.cadre), json={
        "village_id": village.tree.village_a1.id, "name": "食用油", "cost": 5, "stock": 1})
    assert made.status_code == 201
    item_id = made.get_json()["data"]["id"]
    patched = client.patch(f"{API}/items/{item_id}", headers=staff(village.cadre),
                           json={"stock_change": 4})
    assert patched.get_json()["data"]["stock"] == 5
    record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                        village.tree.village_a1.id)
    redeemed = client.post("/api/v1/points/redemptions", headers=bearer(village.resident),
                           json={"item_id": item_id, "request_key": "r"}).get_json()["data"]
    queue = client.get(f"{API}/redemptions?status=reserved", headers=staff(village.cadre))
    assert [r["id"] for r in queue.get_json()["data"]["items"]] == [redeemed["id"]]
    done = client.post(f"{API}/redemptions/{redeemed['id']}/hand-over",
                       headers=staff(village.cadre))
    assert done.get_json()["data"]["status"] == "handed_over"
    listed = client.get(f"{API}/items?village_id={village.tree.village_a1.id}",
                        headers=staff(village.cadre)).get_json()["data"]["items"]
    assert listed[0]["stock"] == 4
