"""HTTP: wishes in the staff console (``/admin/api/v1/wishes``)."""

from __future__ import annotations

from app.audit.models import AuditEntry
from tests.app.wishes import conftest as wishes_conftest
from tests.app.wishes.conftest import approved, submitted
from tests.factories import bearer

village = wishes_conftest.village
outbox_only = wishes_conftest.outbox_only
API = "/admin/api/v1/wishes"


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_the_review_queue_holds_submitted_wishes_of_the_scope(client, village):
    waiting = submitted(village)
    approved(village)
    res = client.get(API, headers=staff(village.grid_worker))
    [item] = res.get_json()["data"]["items"]
    assert (item["id"], item["wisher_user_id"], item["held_for_review"]) == (
        waiting.id, village.wisher.id, False)
    assert client.get(API, headers=staff(village.other_grid_worker)).get_json()[
        "data"]["items"] == []
    every = client.get(f"{API}?queue=all&status=approved", headers=staff(village.town_admin))
    assert len(every.get_json()["data"]["items"]) == 1


def test_a_reviewer_approves_and_rejects_with_a_reason(client, village):
    first, second = submitted(village), submitted(village, text="想请人帮忙换个灯泡")
    ok = client.post(f"{API}/{first.id}/approve", headers=staff(village.cadre))
    assert ok.get_json()["data"]["status"] == "approved"
    no_reason = client.post(f"{API}/{second.id}/reject", headers=staff(village.cadre),
                            json={"reason": ""})
    assert no_reason.status_code == 422
    rejected = client.post(f"{API}/{second.id}/reject", headers=staff(village.cadre),
                           json={"reason": "请联系物业报修"}).get_json()["data"]
    assert (rejected["status"], rejected["review_reason"]) == ("rejected", "请联系物业报修")
    seen_by_wisher = client.get(f"/api/v1/wishes/{second.id}", headers=bearer(village.wisher))
    assert seen_by_wisher.get_json()["data"]["review_reason"] == "请联系物业报修"
    assert AuditEntry.select().where(AuditEntry.action.startswith("wish.")).count() == 2


def test_a_town_admin_takes_down_but_does_not_review(client, village):
    wish = submitted(village)
    res = client.post(f"{API}/{wish.id}/approve", headers=staff(village.town_admin))
    assert res.status_code == 403 and code_of(res) == "permission.denied"
    on_wall = approved(village)
    down = client.post(f"{API}/{on_wall.id}/take-down", headers=staff(village.town_admin),
                       json={"reason": "涉及商业广告"}).get_json()["data"]
    assert (down["status"], down["closed_reason"]) == ("taken_down", "涉及商业广告")


def test_staff_of_another_village_get_not_found(client, village):
    wish = submitted(village)
    res = client.post(f"{API}/{wish.id}/approve", headers=staff(village.other_cadre))
    assert res.status_code == 404 and code_of(res) == "wish.not_found"


def test_the_town_admin_sets_the_time_limits(client, village):
    town = village.tree.town_a.id
    before = client.get(f"{API}/settings?town_id={town}", headers=staff(village.cadre))
    assert before.get_json()["data"] == {"town_id": town, "claim_days": 7,
                                         "auto_confirm_days": 7, "customised": False}
    res = client.put(f"{API}/settings", headers=staff(village.town_admin),
                     json={"town_id": town, "claim_days": 3, "auto_confirm_days": 5})
    assert res.get_json()["data"]["customised"] is True
    refused = client.put(f"{API}/settings", headers=staff(village.cadre),
                         json={"town_id": town, "claim_days": 3, "auto_confirm_days": 5})
    assert refused.status_code == 403
    bad = client.put(f"{API}/settings", headers=staff(village.town_admin),
                     json={"town_id": town, "claim_days": 0, "auto_confirm_days": 5})
    assert bad.status_code == 422


def test_a_resident_token_is_refused_by_the_console(client, village):
    res = client.get(API, headers=bearer(village.wisher))
    assert res.status_code == 403 and code_of(res) == "auth.staff_only"
