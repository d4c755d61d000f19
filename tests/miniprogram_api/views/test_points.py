"""HTTP: a resident's points, statement, rankings, rules and the village store."""

from __future__ import annotations

import pytest

from app.points import store
from app.points.services import record_points_event
from tests.app.points.conftest import make_village
from tests.factories import bearer

API = "/api/v1/points"


@pytest.fixture
def village():
    return make_village()


def earn(village, user=None, times=4, ref="wish:1"):
    record_points_event("wish.fulfilled", ref, (user or village.resident).id,
                        village.tree.village_a1.id, quantity=times)


def test_my_points_show_balance_earned_and_stars_of_me_and_my_household(client, village):
    earn(village, times=12)
    res = client.get(f"{API}/me", headers=bearer(village.resident))
    assert res.status_code == 200
    data = res.get_json()["data"]
    assert data["person"]["balance"] == 60 and data["person"]["earned"]["all"] == 60
    assert data["person"]["stars"] == 1 and data["person"]["next_threshold"] == 150
    assert data["household"]["balance"] == 60


def test_my_statement_explains_each_line_with_its_rule_version(client, village):
    earn(village, ref="wish:1")
    earn(village, ref="wish:2", times=1)
    res = client.get(f"{API}/me/lines?limit=1", headers=bearer(village.resident))
    body = res.get_json()["data"]
    line = body["items"][0]
    assert line["amount"] == 5 and line["balance_after"] == 25
    assert line["rule_version"] == 1 and line["event_name"] == "完成微心愿"
    assert body["next_cursor"]
    rest = client.get(f"{API}/me/lines?limit=5&cursor={body['next_cursor']}",
                      headers=bearer(village.resident)).get_json()["data"]
    assert [x["balance_after"] for x in rest["items"]] == [20] and rest["next_cursor"] is None


def test_a_visitor_without_a_household_has_no_points_page(client, village):
    res = client.get(f"{API}/me", headers=bearer(village.visitor))
    assert res.status_code == 404
    assert res.get_json()["error"]["code"] == "points.not_resident"


def test_anonymous_callers_are_asked_to_log_in(client, village):
    assert client.get(f"{API}/me").status_code == 401


def test_rankings_show_my_rank_and_masked_names(client, village):
    earn(village, village.neighbour, times=6, ref="wish:n")
    earn(village, times=2, ref="wish:r")
    res = client.get(f"{API}/rankings?scope=village&period=all",
                     headers=bearer(village.resident))
    data = res.get_json()["data"]
    assert [row["points"] for row in data["rows"]] == [30, 10]
    assert data["rows"][0]["name"] == "李**" and data["mine"]["rank"] == 2
    assert data["tie_rule"]


def test_rules_in_force_are_public_to_residents(client, village):
    res = client.get(f"{API}/rules", headers=bearer(village.resident))
    codes = {r["event_type"]: r["points"] for r in res.get_json()["data"]}
    assert codes["wish.fulfilled"] == 5 and codes["action.attended"] == 10


def test_redeeming_through_the_api_is_idempotent_on_the_request_key(client, village):
    earn(village, times=4)
    item = store.create_item(village.actor(village.cadre),
                             village_id=village.tree.village_a1.id, name="洗衣液", cost=8,
                             stock=3)
    listed = client.get(f"{API}/items", headers=bearer(village.resident)).get_json()["data"]
    assert [i["id"] for i in listed["items"]] == [item.id]
    body = {"item_id": item.id, "quantity": 2, "request_key": "abc-1"}
    first = client.post(f"{API}/redemptions", json=body, headers=bearer(village.resident))
    again = client.post(f"{API}/redemptions", json=body, headers=bearer(village.resident))
    assert first.status_code == again.status_code == 201
    assert first.get_json()["data"]["id"] == again.get_json()["data"]["id"]
    res = client.post(f"{API}/redemptions", json={**body, "request_key": "abc-2"},
                      headers=bearer(village.resident))
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "points.insufficient_balance"
    mine = client.get(f"{API}/redemptions", headers=bearer(village.resident)).get_json()
    assert len(mine["data"]["items"]) == 1


def test_a_resident_cancels_their_own_redemption_only(client, village):
    earn(village, times=4)
    item = store.create_item(village.actor(village.cadre),
                             village_id=village.tree.village_a1.id, name="洗衣液", cost=8,
                             stock=3)
    made = client.post(f"{API}/redemptions", json={"item_id": item.id, "request_key": "k"},
                       headers=bearer(village.resident)).get_json()["data"]
    other = client.post(f"{API}/redemptions/{made['id']}/cancel", json={},
                        headers=bearer(village.neighbour))
    assert other.status_code == 404
    res = client.post(f"{API}/redemptions/{made['id']}/cancel", json={},
                      headers=bearer(village.resident))
    assert res.status_code == 200 and res.get_json()["data"]["status"] == "cancelled"
