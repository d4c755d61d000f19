"""HTTP: livestreams in the console and for residents."""

from __future__ import annotations

from app.clock import frozen
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import DAY, HOUR, MONDAY_9AM
from tests.factories import bearer

place = fixtures.place


def test_schedule_list_and_record_the_result(client, place):
    with frozen(MONDAY_9AM):
        res = client.post("/admin/api/v1/livestreams",
                          headers=bearer(place.user("cadre"), "staff"), json={
            "village_id": place.tree.village_a1.id, "matter_type": "asset_lease",
            "title": "鱼塘承包权公开竞价", "link": "https://live.example.cn/room/9",
            "starts_at": "2026-11-25T15:00:00"})
    assert res.status_code == 201
    stream = res.get_json()["data"]
    assert stream["starts_at"] == "2026-11-25T15:00:00+08:00"
    mine = client.get("/api/v1/livestreams", headers=bearer(place.resident)).get_json()
    assert [s["id"] for s in mine["data"]["items"]] == [stream["id"]]
    with frozen(MONDAY_9AM + 2 * DAY + 8 * HOUR):
        done = client.post(f"/admin/api/v1/livestreams/{stream['id']}/result",
                           headers=bearer(place.user("cadre"), "staff"),
                           json={"minutes": "三户参与竞价", "result": "以每年 6800 元成交"})
    assert done.status_code == 201
    assert done.get_json()["data"]["extra"]["livestream"]["id"] == stream["id"]
    refused = client.post("/admin/api/v1/livestreams",
                          headers=bearer(place.user("discipline_officer"), "staff"),
                          json={"village_id": place.tree.village_a1.id,
                                "matter_type": "tender", "title": "x",
                                "link": "https://a.cn/x", "starts_at": "2026-12-25T15:00:00"})
    assert refused.status_code == 403
