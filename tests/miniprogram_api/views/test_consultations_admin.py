"""HTTP: 议事 consultations in the staff console (``/admin/api/v1/consultations``)."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.consultations import comments
from tests.app.consultations import conftest as consultations_conftest
from tests.app.consultations.conftest import DAY, MONDAY_9AM, commented, opened
from tests.factories import bearer

town = consultations_conftest.town
API = "/admin/api/v1/consultations"
BODY = {"title": "小区停车位如何分配", "background": "新增车位 20 个，请大家议一议。",
        "closes_at": "2026-11-30T18:00:00",
        "poll": {"mode": "multiple", "options": ["排号", "抽签", "竞价"], "max_choices": 2,
                 "results": "live"}}


@pytest.fixture(autouse=True)
def monday():
    with frozen(MONDAY_9AM):
        yield


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_a_cadre_walks_a_topic_from_draft_to_outcome(client, town):
    res = client.post(API, headers=staff(town.cadre),
                      json={**BODY, "region_id": town.tree.village_a1.id})
    assert res.status_code == 201
    data = res.get_json()["data"]
    cid = data["id"]
    assert (data["status"], data["poll"]["max_choices"]) == ("draft", 2)
    assert data["allowed_actions"] == ["update", "open", "withdraw"]
    edited = client.put(f"{API}/{cid}", headers=staff(town.cadre),
                        json={**BODY, "title": "车位分配方案"})
    assert edited.get_json()["data"]["title"] == "车位分配方案"
    opened_ = client.post(f"{API}/{cid}/publish", headers=staff(town.cadre))
    assert opened_.get_json()["data"]["status"] == "open"
    again = client.post(f"{API}/{cid}/publish", headers=staff(town.cadre))
    assert again.status_code == 409 and code_of(again) == "consultation.illegal_transition"
    early = client.post(f"{API}/{cid}/outcome", headers=staff(town.cadre),
                        json={"outcome": "排号", "reason": "多数同意"})
    assert code_of(early) == "consultation.illegal_transition"
    assert client.post(f"{API}/{cid}/close", headers=staff(town.cadre)).status_code == 200
    no_reason = client.post(f"{API}/{cid}/outcome", headers=staff(town.cadre),
                            json={"outcome": "排号分配"})
    assert no_reason.status_code == 422 and code_of(no_reason) == "consultation.reason_required"
    done = client.post(f"{API}/{cid}/outcome", headers=staff(town.cadre),
                       json={"outcome": "排号分配", "reason": "多数居民同意"})
    shown = done.get_json()["data"]
    assert (shown["status"], shown["outcome"], shown["outcome_reason"]) == (
        "decided", "排号分配", "多数居民同意")
    assert [o["count"] for o in shown["poll"]["options"]] == [0, 0, 0]
    actions = [e.action for e in AuditEntry.select().where(
        AuditEntry.object_id == str(cid)).order_by(AuditEntry.id)]
    assert actions == ["consultation.create", "consultation.update", "consultation.open",
                       "consultation.close", "consultation.decide"]


def test_out_of_scope_staff_are_told_the_topic_does_not_exist(client, town):
    consultation = opened(town)
    for user in (town.other_cadre, town.other_town_admin):
        res = client.get(f"{API}/{consultation.id}", headers=staff(user))
        assert res.status_code == 404 and code_of(res) == "consultation.not_found"
    for user in (town.grid_worker, town.finance_panel):
        res = client.get(API, headers=staff(user))
        assert res.status_code == 403 and code_of(res) == "permission.denied"
    res = client.post(API, headers=staff(town.other_cadre),
                      json={**BODY, "region_id": town.tree.village_a1.id})
    assert res.status_code == 403
    assert client.get(API, headers=bearer(town.author)).status_code in (401, 403)


def test_the_staff_list_is_scoped(client, town):
    mine = opened(town)
    town_topic = opened(town, region=town.tree.town_a, by=town.town_admin)
    cadre = client.get(API, headers=staff(town.cadre)).get_json()["data"]["items"]
    assert [c["id"] for c in cadre] == [mine.id]
    admin = client.get(API, headers=staff(town.town_admin)).get_json()["data"]["items"]
    assert [c["id"] for c in admin] == [town_topic.id, mine.id]
    assert admin[0]["author_user_id"] == town.town_admin.id


def test_staff_hide_with_a_reason_and_work_the_report_queue(client, town):
    consultation = opened(town)
    rude, reported = commented(town, consultation), commented(town, consultation,
                                                              content="另一条评论")
    bare = client.post(f"{API}/comments/{rude.id}/hide", headers=staff(town.cadre), json={})
    assert bare.status_code == 422 and code_of(bare) == "consultation.reason_required"
    hidden = client.post(f"{API}/comments/{rude.id}/hide", headers=staff(town.cadre),
                         json={"reason": "含有他人隐私"})
    assert (hidden.get_json()["data"]["status"], hidden.get_json()["data"]["hidden_reason"]) \
        == ("hidden", "含有他人隐私")
    for neighbour in town.neighbours:
        comments.report_comment(town.actor(neighbour), reported.id)
    queue = client.get(f"{API}/comments", headers=staff(town.cadre)).get_json()["data"]
    [item] = queue["items"]
    assert (item["id"], item["report_count"], item["author_user_id"]) == (
        reported.id, 3, town.author.id)
    restored = client.post(f"{API}/comments/{reported.id}/restore", headers=staff(town.cadre))
    assert restored.get_json()["data"]["status"] == "visible"
    outsider = client.post(f"{API}/comments/{reported.id}/hide", headers=staff(town.other_cadre),
                           json={"reason": "x"})
    assert outsider.status_code == 404
    every = client.get(f"{API}/{consultation.id}/comments?status=hidden",
                       headers=staff(town.cadre)).get_json()["data"]["items"]
    assert [c["id"] for c in every] == [rude.id]


def test_withdrawing_needs_a_reason(client, town):
    consultation = opened(town)
    bare = client.post(f"{API}/{consultation.id}/withdraw", headers=staff(town.cadre),
                       json={"reason": ""})
    assert code_of(bare) == "consultation.reason_required"
    with frozen(MONDAY_9AM + DAY):
        ok = client.post(f"{API}/{consultation.id}/withdraw", headers=staff(town.cadre),
                         json={"reason": "方案需重新测算"})
    assert ok.get_json()["data"]["withdraw_reason"] == "方案需重新测算"
