"""The inbox and subscription endpoints: own notices only, others' ids are 404."""

from __future__ import annotations

from app.notifications.models import Notification, SubscriptionQuota
from tests.app.notifications.helpers import notify
from tests.factories import bearer, make_user


def test_the_inbox_needs_a_login(client):
    res = client.get("/api/v1/notifications")
    assert res.status_code == 401


def test_the_inbox_shows_only_my_notices(client):
    me, other = make_user(), make_user()
    notify(me, 1)
    notify(other, 2)
    res = client.get("/api/v1/notifications", headers=bearer(me))
    assert res.status_code == 200
    items = res.get_json()["data"]["items"]
    assert [i["title"] for i in items] == ["诉求 Q0001"]
    assert items[0]["delivery"] == "wechat_pending" and items[0]["read_at"] is None
    assert items[0]["created_at"].endswith("+08:00")


def test_the_inbox_explains_an_undelivered_wechat_reminder(client):
    me = make_user()
    row = notify(me)
    Notification.update(status="no_quota").where(Notification.id == row.id).execute()
    [item] = client.get("/api/v1/notifications", headers=bearer(me)).get_json()["data"]["items"]
    assert item["delivery"] == "wechat_not_subscribed"
    assert "微信提醒未送达" in item["delivery_note"]


def test_the_inbox_pages_with_an_opaque_cursor(client):
    me = make_user()
    for n in range(1, 4):
        notify(me, n)
    headers = bearer(me)
    first = client.get("/api/v1/notifications?limit=2", headers=headers).get_json()["data"]
    cursor = first["next_cursor"]
    assert len(first["items"]) == 2 and cursor
    rest = client.get(f"/api/v1/notifications?limit=2&cursor={cursor}",
                      headers=headers).get_json()["data"]
    assert [i["title"] for i in rest["items"]] == ["诉求 Q0001"]
    assert rest["next_cursor"] is None


def test_marking_my_notice_read(client):
    me = make_user()
    row = notify(me)
    res = client.post(f"/api/v1/notifications/{row.id}/read", headers=bearer(me))
    assert res.status_code == 200
    assert res.get_json()["data"]["read_at"] is not None
    assert Notification.get_by_id(row.id).read_at is not None


def test_marking_someone_elses_notice_is_404(client):
    owner, intruder = make_user(), make_user()
    row = notify(owner)
    res = client.post(f"/api/v1/notifications/{row.id}/read", headers=bearer(intruder))
    assert res.status_code == 404
    assert res.get_json()["error"]["code"] == "notification.not_found"
    assert Notification.get_by_id(row.id).read_at is None


def test_marking_a_missing_notice_is_404(client):
    res = client.post("/api/v1/notifications/999999/read", headers=bearer(make_user()))
    assert res.status_code == 404


def test_reporting_subscriptions_adds_quota(client):
    me = make_user()
    res = client.post("/api/v1/subscriptions", headers=bearer(me),
                      json={"template_keys": ["request_progress"]})
    assert res.status_code == 200
    quotas = {q["template_key"]: q["remaining"] for q in res.get_json()["data"]}
    assert quotas["request_progress"] == 1
    listed = client.get("/api/v1/subscriptions", headers=bearer(me)).get_json()["data"]
    assert {q["template_key"]: q["remaining"] for q in listed} == quotas


def test_an_unknown_template_is_422(client):
    me = make_user()
    res = client.post("/api/v1/subscriptions", headers=bearer(me),
                      json={"template_keys": ["bogus"]})
    assert res.status_code == 422
    assert res.get_json()["error"]["code"] == "notification.unknown_template"
    assert SubscriptionQuota.select().count() == 0


def test_an_empty_report_is_422(client):
    res = client.post("/api/v1/subscriptions", headers=bearer(make_user()),
                      json={"template_keys": []})
    assert res.status_code == 422
