"""HTTP: residents' requests (``/api/v1/requests``) — submit through the fake WeChat content
check, list their own with keyset paging, read progress, cancel, reply, rate and reopen.

Time is frozen on Monday 2026-11-23 09:00 (Shanghai) for each test; tokens are issued in it.
"""

from __future__ import annotations

import pytest

from app.clock import frozen
from app.requests import handling, workflow
from app.requests.models import Request
from tests.app.requests import conftest as requests_conftest
from tests.factories import bearer

API = "/api/v1/requests"
town = requests_conftest.town  # the service tests' small town, shared

BODY = {"type": "help", "category_code": "environment", "text": "楼道里的灯坏了一个星期"}


@pytest.fixture(autouse=True)
def monday():
    with frozen(requests_conftest.MONDAY_9AM):
        yield


def code_of(res):
    body = res.get_json()
    assert body["ok"] is False and set(body["error"]) == {"code", "message", "details"}
    return body["error"]["code"]


def data_of(res):
    body = res.get_json()
    assert body["ok"] is True, body
    return body["data"]


def submit(client, user, **fields):
    return client.post(API, headers=bearer(user), json={**BODY, **fields})


def submitted(client, user, **fields):
    res = submit(client, user, **fields)
    assert res.status_code == 201, res.get_json()
    return data_of(res)


def resolved(town, request_id):
    """Accepted, dispatched to the grid unit, started and resolved through the services."""
    grid = town.actor(town.grid_worker)
    workflow.accept_request(grid, request_id)
    workflow.dispatch_request(grid, request_id)
    workflow.start_request(grid, request_id)
    handling.resolve_request(grid, request_id, note="已更换楼道灯泡")


# -- submitting ---------------------------------------------------------------------------------

def test_a_resident_submits_a_request_and_gets_its_tracking_number(client, town, fake_wechat):
    res = submit(client, town.resident)
    assert res.status_code == 201
    data = data_of(res)
    assert data["tracking_no"] == "R20261123-0001" and data["status"] == "submitted"
    assert data["status_name"] == "已提交" and data["held_for_review"] is False
    assert data["accept_deadline"] == "2026-11-25T00:00:00+08:00"
    assert [e["action"] for e in data["timeline"]] == ["submit"]
    assert "cancel" in data["allowed_actions"]
    assert ("POST", "wxa/msg_sec_check") in fake_wechat.calls


def test_risky_text_is_refused_by_the_content_check(client, town, fake_wechat):
    res = submit(client, town.resident, text="楼下天天有人聚众赌博")
    assert (res.status_code, code_of(res)) == (422, "content.risky")
    assert Request.select().count() == 0


def test_text_for_review_is_held_out_of_the_acceptance_queue(client, town, fake_wechat):
    data = submitted(client, town.resident, text="物业不管事，我们准备去上访")
    assert data["held_for_review"] is True
    assert data["timeline"][0]["label"] == "诉求已提交，内容待审核"
    staff = bearer(town.cadre, "staff")
    held = data_of(client.get("/admin/api/v1/requests?queue=held", headers=staff))
    to_accept = data_of(client.get("/admin/api/v1/requests?queue=to_accept", headers=staff))
    assert [r["id"] for r in held["items"]] == [data["id"]]
    assert to_accept["items"] == []


def test_submitting_needs_a_login(client, town):
    res = client.post(API, json=BODY)
    assert (res.status_code, code_of(res)) == (401, "auth.required")


@pytest.mark.parametrize(("body", "field"), [
    ({"category_code": "environment", "text": "灯坏了好几天"}, "type"),
    ({**BODY, "type": "gossip"}, "type"),
    ({**BODY, "text": ""}, "text"),
    ({**BODY, "photo_ids": list(range(10))}, "photo_ids"),
])
def test_a_bad_body_is_reported_per_field(client, town, body, field):
    res = client.post(API, headers=bearer(town.resident), json=body)
    assert (res.status_code, code_of(res)) == (422, "validation.failed")
    assert field in res.get_json()["error"]["details"]["fields"]


def test_a_body_that_is_not_json_is_refused(client, town):
    res = client.post(API, headers=bearer(town.resident), data="type=help")
    assert (res.status_code, code_of(res)) == (422, "request.bad_json")


def test_an_unknown_category_is_refused(client, town, fake_wechat):
    res = submit(client, town.resident, category_code="ufo")
    assert (res.status_code, code_of(res)) == (422, "request.bad_category")


def test_categories_are_public(client, town):
    res = client.get(f"/api/v1/request-categories?region_id={town.tree.village_a1.id}")
    assert "environment" in [c["code"] for c in data_of(res)]


# -- reading ------------------------------------------------------------------------------------

def test_my_requests_page_newest_first_with_a_cursor(client, town, fake_wechat):
    first, second, third = (submitted(client, town.resident) for _ in range(3))
    submitted(client, town.neighbour)
    headers = bearer(town.resident)
    page = data_of(client.get(f"{API}?limit=2", headers=headers))
    assert [r["id"] for r in page["items"]] == [third["id"], second["id"]]
    rest = data_of(client.get(f"{API}?limit=2&cursor={page['next_cursor']}", headers=headers))
    assert [r["id"] for r in rest["items"]] == [first["id"]]
    assert rest["next_cursor"] is None


def test_my_list_includes_what_i_follow(client, town, fake_wechat):
    theirs = submitted(client, town.resident)
    headers = bearer(town.neighbour)
    assert client.post(f"{API}/{theirs['id']}/follow", headers=headers).status_code == 200
    page = data_of(client.get(API, headers=headers))
    assert [r["id"] for r in page["items"]] == [theirs["id"]]


def test_a_bad_cursor_is_refused(client, town):
    res = client.get(f"{API}?cursor=nonsense!", headers=bearer(town.resident))
    assert (res.status_code, code_of(res)) == (422, "pagination.bad_cursor")


def test_the_detail_shows_progress_without_internal_notes(client, town, fake_wechat):
    data = submitted(client, town.resident)
    grid = town.actor(town.grid_worker)
    workflow.accept_request(grid, data["id"])
    workflow.dispatch_request(grid, data["id"])
    handling.add_note(grid, data["id"], note="物业电工明天上门", public=True)
    handling.add_note(grid, data["id"], note="电工说配件缺货", public=False)
    detail = data_of(client.get(f"{API}/{data['id']}", headers=bearer(town.resident)))
    assert detail["status"] == "dispatched" and detail["lead_unit"] == "东星社区第一网格"
    assert detail["resolve_deadline"] == "2026-11-27T00:00:00+08:00"
    notes = [e["note"] for e in detail["timeline"]]
    assert "物业电工明天上门" in notes and "电工说配件缺货" not in notes


def test_another_residents_request_is_not_found(client, town, fake_wechat):
    data = submitted(client, town.resident)
    res = client.get(f"{API}/{data['id']}", headers=bearer(town.outsider))
    assert (res.status_code, code_of(res)) == (404, "request.not_found")
    res = client.get(f"{API}/999999", headers=bearer(town.resident))
    assert (res.status_code, code_of(res)) == (404, "request.not_found")


# -- acting on one's own request ----------------------------------------------------------------

def test_a_request_is_cancelled_only_before_acceptance(client, town, fake_wechat):
    first, second = submitted(client, town.resident), submitted(client, town.resident)
    headers = bearer(town.resident)
    res = client.post(f"{API}/{first['id']}/cancel", headers=headers, json={"note": "已自行解决"})
    assert data_of(res)["status"] == "cancelled"
    workflow.accept_request(town.actor(town.cadre), second["id"])
    res = client.post(f"{API}/{second['id']}/cancel", headers=headers, json={})
    assert (res.status_code, code_of(res)) == (409, "request.illegal_transition")
    assert res.get_json()["error"]["details"] == {"state": "accepted", "action": "cancel"}


def test_a_reply_resumes_a_paused_request(client, town, fake_wechat):
    data = submitted(client, town.resident)
    grid = town.actor(town.grid_worker)
    workflow.accept_request(grid, data["id"])
    workflow.dispatch_request(grid, data["id"])
    workflow.start_request(grid, data["id"])
    handling.wait_for_resident(grid, data["id"], question="是几楼的灯？")
    res = client.post(f"{API}/{data['id']}/reply", headers=bearer(town.resident),
                      json={"note": "三楼"})
    assert data_of(res)["status"] == "in_progress"


def test_the_resident_rates_a_resolved_request_and_it_is_closed(client, town, fake_wechat):
    data = submitted(client, town.resident)
    resolved(town, data["id"])
    res = client.post(f"{API}/{data['id']}/rate", headers=bearer(town.resident),
                      json={"rating": "satisfied", "comment": "很及时"})
    closed = data_of(res)
    assert (closed["status"], closed["rating"]) == ("closed", "satisfied")
    assert closed["timeline"][-1]["label"] == "居民评价：满意，诉求销号"


def test_rating_before_resolution_is_an_illegal_transition(client, town, fake_wechat):
    data = submitted(client, town.resident)
    res = client.post(f"{API}/{data['id']}/rate", headers=bearer(town.resident),
                      json={"rating": "satisfied"})
    assert (res.status_code, code_of(res)) == (409, "request.illegal_transition")


def test_a_bad_rating_is_refused(client, town, fake_wechat):
    data = submitted(client, town.resident)
    res = client.post(f"{API}/{data['id']}/rate", headers=bearer(town.resident),
                      json={"rating": "great"})
    assert (res.status_code, code_of(res)) == (422, "validation.failed")


def test_only_the_submitter_rates(client, town, fake_wechat):
    data = submitted(client, town.resident)
    resolved(town, data["id"])
    res = client.post(f"{API}/{data['id']}/rate", headers=bearer(town.neighbour),
                      json={"rating": "unsatisfied"})
    assert (res.status_code, code_of(res)) == (404, "request.not_found")


def test_an_unsatisfied_resident_reopens_once(client, town, fake_wechat):
    data = submitted(client, town.resident)
    resolved(town, data["id"])
    headers = bearer(town.resident)
    res = client.post(f"{API}/{data['id']}/rate", headers=headers,
                      json={"rating": "unsatisfied", "reopen": True, "reason": "灯还是不亮"})
    assert data_of(res)["status"] == "reopened" and data_of(res)["resolve_deadline"] is None
    workflow.dispatch_request(town.actor(town.cadre), data["id"])
    workflow.start_request(town.actor(town.grid_worker), data["id"])
    handling.resolve_request(town.actor(town.grid_worker), data["id"], note="已更换整条线路")
    res = client.post(f"{API}/{data['id']}/reopen", headers=headers, json={"reason": "还是不行"})
    assert (res.status_code, code_of(res)) == (409, "request.reopen_limit")
