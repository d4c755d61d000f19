"""HTTP: the seal log in the console."""

from __future__ import annotations

from app.clock import frozen
from tests.app.seals import conftest as seals_conftest
from tests.app.seals.conftest import TUESDAY_10AM
from tests.app.supervision import fixtures
from tests.factories import bearer

place = fixtures.place
desk = seals_conftest.desk


def staff(user):
    return bearer(user, "staff")


def test_recording_a_use_outside_office_hours_flags_it(client, desk):
    place = desk.place
    with frozen(TUESDAY_10AM):
        res = client.post(f"/admin/api/v1/seals/{desk.seal.id}/uses",
                          headers=staff(place.user("cadre")), json={
                              "document": "店面租赁合同", "purpose": "临街店面出租签约",
                              "applicant_name": "李会计", "applicant_user_id": place.cadre2.id,
                              "approver_user_id": place.user("cadre").id,
                              "power_item_id": desk.lease.id, "notice_id": desk.notice.id,
                              "used_at": "2026-12-01T07:30:00"})
    assert res.status_code == 201
    use = res.get_json()["data"]
    assert [a["code"] for a in use["anomalies"]] == ["outside_office_hours"]
    assert use["used_at"] == "2026-12-01T07:30:00+08:00"
    officer = staff(place.user("discipline_officer"))
    flagged = client.get("/admin/api/v1/seal-uses?flagged=true", headers=officer).get_json()
    assert [u["id"] for u in flagged["data"]["items"]] == [use["id"]]
    assert client.get(f"/admin/api/v1/seal-uses/{use['id']}",
                      headers=staff(place.town_admin_b)).status_code == 404
    assert client.get("/admin/api/v1/seal-uses",
                      headers=staff(place.user("grid_worker"))).status_code == 403
