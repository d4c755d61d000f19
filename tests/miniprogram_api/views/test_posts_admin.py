"""HTTP: posts in the staff console (``/admin/api/v1/posts``)."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.clock import frozen
from app.posts.models import Post
from tests.app.posts import conftest as posts_conftest
from tests.app.posts.conftest import MONDAY_9AM, draft
from tests.factories import bearer

API = "/admin/api/v1/posts"
town = posts_conftest.town


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_a_cadre_writes_publishes_pins_and_withdraws_a_post(client, town):
    res = client.post(API, headers=staff(town.cadre), json={
        "kind": "policy", "title": "医保缴费政策解读", "body": "今年城乡居民医保缴费标准……",
        "region_id": town.tree.village_a1.id})
    assert res.status_code == 201
    post = res.get_json()["data"]
    assert (post["status"], post["allowed_actions"]) == (
        "draft", ["update", "schedule", "publish", "pin", "withdraw"])
    url = f"{API}/{post['id']}"
    published = client.post(f"{url}/publish", headers=staff(town.cadre), json={})
    assert published.get_json()["data"]["status"] == "published"
    pinned = client.post(f"{url}/pin", headers=staff(town.cadre), json={"pinned": True})
    assert pinned.get_json()["data"]["pinned"] is True
    refused = client.post(f"{url}/withdraw", headers=staff(town.cadre), json={"reason": ""})
    assert refused.status_code == 422
    gone = client.post(f"{url}/withdraw", headers=staff(town.cadre),
                       json={"reason": "政策已更新"}).get_json()["data"]
    assert (gone["status"], gone["withdraw_reason"]) == ("withdrawn", "政策已更新")
    assert [e.action for e in AuditEntry.select().order_by(AuditEntry.id)] == [
        "post.create", "post.publish", "post.pin", "post.withdraw"]


def test_a_schedule_without_an_offset_is_shanghai_time(client, town):
    post = draft(town, town.tree.village_a1)
    with frozen(MONDAY_9AM):
        res = client.post(f"{API}/{post.id}/publish", headers=staff(town.cadre),
                          json={"publish_at": "2026-11-23T18:30:00"})
    body = res.get_json()["data"]
    assert (body["status"], body["publish_at"]) == ("draft", "2026-11-23T18:30:00+08:00")
    assert Post.get_by_id(post.id).publish_at.isoformat() == "2026-11-23T10:30:00"
    with frozen(MONDAY_9AM):
        past = client.post(f"{API}/{post.id}/publish", headers=staff(town.cadre),
                           json={"publish_at": "2026-11-23T08:00:00+08:00"})
    assert past.status_code == 422 and code_of(past) == "post.schedule_in_past"
    cancel = client.post(f"{API}/{post.id}/unschedule", headers=staff(town.cadre))
    assert cancel.get_json()["data"]["publish_at"] is None


def test_a_draft_is_edited_with_put(client, town):
    post = draft(town, town.tree.village_a1)
    res = client.put(f"{API}/{post.id}", headers=staff(town.cadre),
                     json={"kind": "service_guide", "title": "办事指南", "body": "办理居住证……"})
    assert res.status_code == 200
    assert (res.get_json()["data"]["kind"], Post.get_by_id(post.id).title) == (
        "service_guide", "办事指南")


def test_the_list_shows_the_scope_and_filters_by_status(client, town):
    mine = draft(town, town.tree.grid_a1)
    draft(town, town.tree.village_b1, by=town.town_admin_b)
    res = client.get(f"{API}?status=draft", headers=staff(town.grid_worker))
    items = res.get_json()["data"]["items"]
    assert [p["id"] for p in items] == [mine.id]
    assert "body" not in items[0] and items[0]["status_name"] == "草稿"


def test_a_grid_worker_may_not_publish_policy(client, town):
    res = client.post(API, headers=staff(town.grid_worker), json={
        "kind": "policy", "title": "政策", "body": "正文", "region_id": town.tree.grid_a1.id})
    assert res.status_code == 403 and code_of(res) == "permission.denied"


def test_a_post_out_of_scope_is_not_found_and_a_resident_token_is_refused(client, town):
    post = draft(town, town.tree.village_b1, by=town.town_admin_b)
    res = client.get(f"{API}/{post.id}", headers=staff(town.cadre))
    assert res.status_code == 404 and code_of(res) == "post.not_found"
    res = client.get(API, headers=bearer(town.resident))
    assert res.status_code == 403 and code_of(res) == "auth.staff_only"
    assert client.get(API).status_code == 401
