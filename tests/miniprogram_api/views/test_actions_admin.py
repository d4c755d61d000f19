"""HTTP: the staff side of actions — publishing, rosters, attendance, organisers and printed
service records — with denials by role and scope."""

from __future__ import annotations

import pytest

from app.actions import signups
from app.audit.models import AuditEntry
from app.clock import frozen
from tests.app.actions.conftest import END, NOW, publish
from tests.app.points.conftest import make_village
from tests.factories import bearer

API = "/admin/api/v1/actions"


@pytest.fixture
def village():
    return make_village()


def staff(user):
    """A console token issued at the (possibly frozen) time of the call."""
    return bearer(user, "staff", ttl=30 * 86400)


def test_staff_publish_and_list_actions_in_scope_only(client, village):
    body = {"region_id": village.tree.grid_a1.id, "title": "垃圾分类宣传", "place": "1号楼",
            "starts_at": "2026-11-25T14:00:00+08:00", "ends_at": "2026-11-25T16:00:00+08:00",
            "capacity": 3, "skills": ["宣讲"]}
    with frozen(NOW):
        made = client.post(API, json=body, headers=staff(village.grid_worker))
        assert made.status_code == 201 and made.get_json()["data"]["skills"] == ["宣讲"]
        outside = client.post(API, json={**body, "region_id": village.tree.village_b1.id},
                              headers=staff(village.grid_worker))
        assert outside.status_code == 403
    mine = client.get(API, headers=staff(village.cadre)).get_json()["data"]["items"]
    theirs = client.get(API, headers=staff(village.other_cadre)).get_json()["data"]["items"]
    assert len(mine) == 1 and theirs == []
    assert client.get(API, headers=bearer(village.resident)).status_code == 403


def test_roster_attendance_and_audit(client, village):
    action = publish(village)
    with frozen(NOW):
        signups.sign_up(village.resident_actor(village.resident), action.id)
    roster = client.get(f"{API}/{action.id}/signups", headers=staff(village.cadre))
    signup_id = roster.get_json()["data"]["items"][0]["id"]
    hidden = client.get(f"{API}/{action.id}/signups", headers=staff(village.other_cadre))
    assert hidden.status_code == 404
    with frozen(END):
        rejected = client.post(f"{API}/signups/{signup_id}/attendance",
                               headers=staff(village.cadre),
                               json={"decision": "reject", "reason": "未到场"})
        again = client.post(f"{API}/signups/{signup_id}/attendance",
                            headers=staff(village.cadre), json={"decision": "confirm"})
    assert rejected.get_json()["data"]["attendance"] == "rejected"
    assert again.status_code == 409
    assert AuditEntry.select().where(AuditEntry.action == "action.attendance_reject").count()


def test_organisers_are_approved_and_revoked_by_cadres(client, village):
    res = client.post(f"{API}/organisers", headers=staff(village.cadre), json={
        "user_id": village.neighbour.id, "region_id": village.tree.village_a1.id})
    assert res.status_code == 201
    denied = client.post(f"{API}/organisers", headers=staff(village.grid_worker), json={
        "user_id": village.resident.id, "region_id": village.tree.grid_a1.id})
    assert denied.status_code == 403
    listed = client.get(f"{API}/organisers", headers=staff(village.cadre)).get_json()
    organiser_id = listed["data"]["items"][0]["id"]
    revoked = client.post(f"{API}/organisers/{organiser_id}/revoke",
                          headers=staff(village.cadre))
    assert revoked.get_json()["data"]["revoked_at"]


def test_staff_print_a_volunteers_certificate_and_it_is_audited(client, village):
    action = publish(village)
    with frozen(NOW):
        signup = signups.sign_up(village.resident_actor(village.resident), action.id)
    with frozen(END):
        client.post(f"{API}/signups/{signup.id}/attendance", headers=staff(village.cadre),
                    json={"decision": "correct", "minutes": 60, "reason": "补录"})
    url = (f"{API}/volunteers/{village.resident.id}/service-record.pdf"
           f"?issuer_region_id={village.tree.village_a1.id}")
    res = client.get(url, headers=staff(village.cadre))
    assert res.status_code == 200 and res.data.startswith(b"%PDF")
    assert client.get(url, headers=staff(village.other_cadre)).status_code == 403
    assert AuditEntry.select().where(AuditEntry.action == "action.export_record").count() == 1
    xlsx = client.get(url.replace(".pdf", ".xlsx"), headers=staff(village.town_admin))
    assert xlsx.status_code == 200


def test_cancelling_an_action_needs_a_reason(client, village):
    action = publish(village)
    with frozen(NOW):
        res = client.post(f"{API}/{action.id}/cancel", headers=staff(village.cadre),
                          json={"reason": "天气"})
    assert res.get_json()["data"]["status"] == "cancelled"
    assert client.post(f"{API}/{action.id}/cancel", headers=staff(village.cadre),
                       json={}).status_code == 422
