"""HTTP: the console's side of requests (``/admin/api/v1/requests``) — queues, the closed loop
with staff tokens, entry on a resident's behalf, and the errors: 409 for an illegal transition,
404 out of scope, 403 for the wrong role or token, 422 for a bad body.

Time is frozen on Monday 2026-11-23 09:00 (Shanghai) for each test; tokens are issued in it.
"""

from __future__ import annotations

import pytest

from app.clock import frozen
from app.content import WordListChecker
from app.requests import services as requests
from app.requests.models import Request
from tests.app.requests import conftest as requests_conftest
from tests.factories import bearer, grant, make_user

ADMIN = "/admin/api/v1/requests"
town = requests_conftest.town  # the service tests' small town, shared


@pytest.fixture(autouse=True)
def monday():
    with frozen(requests_conftest.MONDAY_9AM):
        yield


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    body = res.get_json()
    assert body["ok"] is False and set(body["error"]) == {"code", "message", "details"}
    return body["error"]["code"]


def data_of(res):
    body = res.get_json()
    assert body["ok"] is True, body
    return body["data"]


def submit(town, user=None, category_code="environment", text="楼道里的灯坏了一个星期"):
    return requests.submit_request(town.actor(user or town.resident, "miniprogram"),
                                   type="help", category_code=category_code, text=text)


def act(client, user, request_id, action, body=None):
    return client.post(f"{ADMIN}/{request_id}/{action}", headers=staff(user), json=body or {})


def queue(client, user, name):
    return [r["id"] for r in data_of(client.get(f"{ADMIN}?queue={name}",
                                                headers=staff(user)))["items"]]


# -- the closed loop ----------------------------------------------------------------------------

def test_staff_accept_dispatch_start_and_resolve_over_http(client, town):
    request = submit(town)
    assert queue(client, town.grid_worker, "to_accept") == [request.id]
    accepted = data_of(act(client, town.grid_worker, request.id, "accept", {"note": "已核实"}))
    assert accepted["status"] == "accepted" and accepted["status_name"] == "已受理"
    assert queue(client, town.grid_worker, "to_dispatch") == [request.id]
    dispatched = data_of(act(client, town.grid_worker, request.id, "dispatch"))
    assert dispatched["lead_unit"] == "东星社区第一网格"
    assert dispatched["resolve_deadline"] == "2026-11-27T00:00:00+08:00"
    assert queue(client, town.grid_worker, "mine") == [request.id]
    assert data_of(act(client, town.grid_worker, request.id, "start"))["status"] == "in_progress"
    done = data_of(act(client, town.grid_worker, request.id, "resolve",
                       {"note": "已更换楼道灯泡"}))
    assert done["status"] == "resolved" and "rate" in done["allowed_actions"]
    assert [e["action"] for e in done["timeline"]] == ["submit", "accept", "dispatch", "start",
                                                       "resolve"]
    mine = data_of(client.get(f"/api/v1/requests/{request.id}", headers=bearer(town.resident)))
    assert mine["status"] == "resolved"


def test_the_staff_detail_shows_internal_notes_and_the_suggested_unit(client, town):
    request = submit(town, category_code="roads")
    act(client, town.cadre, request.id, "accept")
    act(client, town.cadre, request.id, "dispatch")
    res = act(client, town.handler, request.id, "notes", {"note": "需要城管配合", "public": False})
    assert res.status_code == 200
    detail = data_of(client.get(f"{ADMIN}/{request.id}", headers=staff(town.cadre)))
    assert detail["suggested_unit"] == {"id": town.dept_unit.id, "name": "东海街道城管科"}
    assert "需要城管配合" in [e["note"] for e in detail["timeline"]]
    resident = data_of(client.get(f"/api/v1/requests/{request.id}",
                                  headers=bearer(town.resident)))
    assert "需要城管配合" not in [e["note"] for e in resident["timeline"]]
    assert "suggested_unit" not in resident


def test_accepting_twice_is_an_illegal_transition(client, town):
    request = submit(town)
    act(client, town.cadre, request.id, "accept")
    res = act(client, town.cadre, request.id, "accept")
    assert (res.status_code, code_of(res)) == (409, "request.illegal_transition")
    assert res.get_json()["error"]["details"] == {"state": "accepted", "action": "accept"}


def test_resolving_a_request_not_yet_started_is_an_illegal_transition(client, town):
    request = submit(town)
    act(client, town.cadre, request.id, "accept")
    act(client, town.cadre, request.id, "dispatch")
    res = act(client, town.grid_worker, request.id, "resolve", {"note": "已更换楼道灯泡"})
    assert (res.status_code, code_of(res)) == (409, "request.illegal_transition")


def test_a_request_outside_the_scope_is_not_found(client, town):
    outside = submit(town, user=town.outsider)
    for action in ("accept", "dispatch"):
        res = act(client, town.grid_worker, outside.id, action)
        assert (res.status_code, code_of(res)) == (404, "request.not_found")
    res = client.get(f"{ADMIN}/{outside.id}", headers=staff(town.cadre))
    assert (res.status_code, code_of(res)) == (404, "request.not_found")


def test_a_role_without_the_right_is_denied(client, town):
    request = submit(town)
    res = act(client, town.grid_worker, request.id, "flag", {"reason": "多次反映"})
    assert (res.status_code, code_of(res)) == (403, "permission.denied")


@pytest.mark.parametrize(("action", "body", "field"), [
    ("dispatch", {"lead_unit_id": "东星"}, "lead_unit_id"),
    ("transfer", {"reason": "换个单位"}, "unit_id"),
    ("return", {"note": "不归我们"}, "clause"),
    ("resolve", {}, "note"),
    ("extension", {"days": "two", "reason": "等配件"}, "days"),
    ("extension/decision", {}, "approve"),
    ("mediation", {"code": "purple"}, "code"),
])
def test_a_bad_body_is_reported_per_field(client, town, action, body, field):
    request = submit(town)
    res = act(client, town.cadre, request.id, action, body)
    assert (res.status_code, code_of(res)) == (422, "validation.failed")
    assert field in res.get_json()["error"]["details"]["fields"]


def test_a_resident_token_cannot_use_the_console(client, town):
    request = submit(town)
    res = client.post(f"{ADMIN}/{request.id}/accept", headers=bearer(town.resident), json={})
    assert (res.status_code, code_of(res)) == (403, "auth.staff_only")
    res = client.get(ADMIN)
    assert (res.status_code, code_of(res)) == (401, "auth.required")


# -- queues -------------------------------------------------------------------------------------

def test_the_queue_pages_newest_first_within_the_scope(client, town):
    first, second = submit(town), submit(town)
    submit(town, user=town.outsider)
    headers = staff(town.town_admin)
    page = data_of(client.get(f"{ADMIN}?queue=all&limit=1", headers=headers))
    assert [r["id"] for r in page["items"]] == [second.id]
    rest = data_of(client.get(f"{ADMIN}?queue=all&limit=1&cursor={page['next_cursor']}",
                              headers=headers))
    assert [r["id"] for r in rest["items"]] == [first.id] and rest["next_cursor"] is None


def test_an_unknown_queue_or_filter_is_refused(client, town):
    res = client.get(f"{ADMIN}?queue=everything", headers=staff(town.cadre))
    assert (res.status_code, code_of(res)) == (422, "request.bad_queue")
    res = client.get(f"{ADMIN}?status=lost", headers=staff(town.cadre))
    assert (res.status_code, code_of(res)) == (422, "validation.failed")


def test_a_reviewer_has_no_request_queue(client, town):
    reviewer = make_user(name="理财小组")
    grant(reviewer, "finance_panel", town.tree.village_a1)
    res = client.get(ADMIN, headers=staff(reviewer))
    assert (res.status_code, code_of(res)) == (403, "permission.denied")


def test_the_joint_queue_is_open_to_a_cadre(client, town):
    assert queue(client, town.cadre, "joint") == []


# -- entry, review, extensions, pauses ----------------------------------------------------------

def test_staff_enter_a_request_for_a_resident_by_phone(client, town):
    body = {"type": "help", "category_code": "elderly", "text": "独居老人家里水管漏水",
            "region_id": town.tree.building_a1.id, "channel": "phone",
            "on_behalf": {"name": "赵奶奶", "phone": "13800138000"}}
    res = client.post(ADMIN, headers=staff(town.grid_worker), json=body)
    assert res.status_code == 201
    data = data_of(res)
    assert data["channel"] == "phone" and data["suggested_unit"]["id"] == town.grid_unit.id
    row = Request.get_by_id(data["id"])
    assert row.entered_by_id == town.grid_worker.id and row.submitter_id != town.grid_worker.id


def test_held_text_is_released_into_the_acceptance_queue(client, town):
    held = requests.submit_request(
        town.actor(town.resident, "miniprogram"), type="help", category_code="environment",
        text="物业不管事，我们准备去上访", checker=WordListChecker(review=("上访",)))
    res = act(client, town.grid_worker, held.id, "accept")
    assert (res.status_code, code_of(res)) == (409, "request.held_for_review")
    assert data_of(act(client, town.cadre, held.id, "review", {"approve": True}))[
        "held_for_review"] is False
    assert queue(client, town.cadre, "to_accept") == [held.id]


def test_an_extension_is_asked_and_approved_over_http(client, town):
    request = submit(town)
    act(client, town.cadre, request.id, "accept")
    act(client, town.cadre, request.id, "dispatch")
    asked = act(client, town.grid_worker, request.id, "extension", {"days": 2,
                                                                    "reason": "等待配件"})
    assert asked.status_code == 200
    assert queue(client, town.cadre, "extensions") == [request.id]
    res = act(client, town.grid_worker, request.id, "extension/decision", {"approve": True})
    assert (res.status_code, code_of(res)) == (403, "permission.denied")
    decided = data_of(act(client, town.cadre, request.id, "extension/decision",
                          {"approve": True}))
    assert decided["resolve_deadline"] == "2026-12-01T00:00:00+08:00"
    assert queue(client, town.cadre, "extensions") == []


def test_waiting_for_the_resident_and_resuming_over_http(client, town):
    request = submit(town)
    act(client, town.cadre, request.id, "accept")
    act(client, town.cadre, request.id, "dispatch")
    act(client, town.grid_worker, request.id, "start")
    waiting = data_of(act(client, town.grid_worker, request.id, "wait",
                          {"question": "是几楼的灯？"}))
    assert waiting["status"] == "waiting_for_resident"
    assert data_of(act(client, town.grid_worker, request.id, "resume"))["status"] == (
        "in_progress")


@pytest.mark.parametrize(("created_from", "listed"), [
    ("2026-11-23T08:30:00%2B08:00", True),
    ("2026-11-23T09:30:00%2B08:00", False),
    ("2026-11-23T08:30:00", True),  # without an offset: Shanghai time, as shown
    ("2026-11-23T00:30:00Z", True),
])
def test_the_created_from_filter_reads_times_with_their_offset(client, town, created_from,
                                                                listed):
    request = submit(town)  # Monday 09:00 in Shanghai
    ids = queue(client, town.cadre, f"all&created_from={created_from}")
    assert ids == ([request.id] if listed else [])
