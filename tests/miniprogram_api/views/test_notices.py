"""HTTP: 事前公示 for residents (``/api/v1/notices``) and in the console."""

from __future__ import annotations

from app.clock import frozen
from tests.app.notices.conftest import published_notice
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import DAY, MONDAY_9AM
from tests.factories import bearer

ADMIN = "/admin/api/v1/notices"
place = fixtures.place


def staff(user):
    return bearer(user, "staff")


def test_a_notice_through_the_console_and_the_mini_program(client, place, fake_wechat):
    with frozen(MONDAY_9AM):
        res = client.post(ADMIN, headers=staff(place.user("cadre")), json={
            "village_id": place.tree.village_a1.id, "matter_type": "small_works",
            "matter": "村道硬化", "proposal": "拟投资 20 万元硬化村道 800 米"})
        assert res.status_code == 201
        notice_id = res.get_json()["data"]["id"]
        published = client.post(f"{ADMIN}/{notice_id}/publish",
                                headers=staff(place.user("cadre"))).get_json()["data"]
        assert published["period_ends_at"] == "2026-11-29T00:00:00+08:00"
        early = client.post(f"{ADMIN}/{notice_id}/result", headers=staff(place.user("cadre")),
                            json={"result": "adopted", "result_text": "通过"})
        assert (early.status_code, early.get_json()["error"]["code"]) == (
            409, "notice.period_not_over")
        listed = client.get("/api/v1/notices", headers=bearer(place.resident)).get_json()
        assert [n["id"] for n in listed["data"]["items"]] == [notice_id]
        filed = client.post(f"/api/v1/notices/{notice_id}/objections",
                            headers=bearer(place.resident), json={"text": "施工期间请保证通行"})
        assert filed.status_code == 201
    objection_id = filed.get_json()["data"]["id"]
    answered = client.post(f"/admin/api/v1/notice-objections/{objection_id}/answer",
                           headers=staff(place.user("cadre")),
                           json={"answer": "将分段施工，保留单车道通行"})
    assert answered.get_json()["data"]["status"] == "answered"
    with frozen(MONDAY_9AM + 6 * DAY):
        decided = client.post(f"{ADMIN}/{notice_id}/result", headers=staff(place.user("cadre")),
                              json={"result": "adopted", "result_text": "村民代表会议表决通过"})
        assert decided.get_json()["data"]["status"] == "decided"
        detail = client.get(f"/api/v1/notices/{notice_id}",
                            headers=bearer(place.resident)).get_json()["data"]
    assert detail["objections"] == [{"objection": "施工期间请保证通行",
                                     "answer": "将分段施工，保留单车道通行",
                                     "answered_at": detail["objections"][0]["answered_at"]}]
    assert "objector_id" not in str(detail)


def test_other_villages_and_visitors_do_not_see_the_notice(client, place):
    notice = published_notice(place)
    assert client.get(f"/api/v1/notices/{notice.id}",
                      headers=bearer(place.resident_a2)).status_code == 404
    assert client.get("/api/v1/notices", headers=bearer(place.visitor)).status_code == 403
    assert client.get(ADMIN, headers=staff(place.user("grid_worker"))).status_code == 403
