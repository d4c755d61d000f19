"""HTTP: residents find, join and leave actions, scan codes, and download their record; an
approved resident organiser runs an action from the mini-program."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app.actions import services
from app.clock import frozen
from tests.app.actions.conftest import END, NOW, START, publish
from tests.app.points.conftest import make_village
from tests.factories import bearer as _bearer

API = "/api/v1/actions"


def bearer(user, kind="miniprogram"):
    """A token issued at the (possibly frozen) time of the call, valid for a month."""
    return _bearer(user, kind, ttl=30 * 86400)


@pytest.fixture
def village():
    return make_village()


def test_a_resident_lists_joins_and_leaves_an_action(client, village):
    action = publish(village, capacity=1)
    with frozen(NOW):
        listed = client.get(API, headers=bearer(village.resident)).get_json()["data"]
        assert [a["id"] for a in listed["items"]] == [action.id]
        joined = client.post(f"{API}/{action.id}/signup", headers=bearer(village.resident))
        waiting = client.post(f"{API}/{action.id}/signup", headers=bearer(village.neighbour))
        assert joined.get_json()["data"]["status"] == "confirmed"
        assert waiting.get_json()["data"]["waitlist_position"] == 1
        left = client.post(f"{API}/{action.id}/signup/cancel", headers=bearer(village.resident))
        assert left.get_json()["data"]["status"] == "cancelled"
        detail = client.get(f"{API}/{action.id}", headers=bearer(village.neighbour))
    assert detail.get_json()["data"]["mine"]["status"] == "confirmed"
    assert detail.get_json()["data"]["taken"] == 1


def test_an_action_elsewhere_is_not_found(client, village):
    action = publish(village)
    res = client.get(f"{API}/{action.id}", headers=bearer(village.outsider))
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "action.not_found"


def test_scanning_in_and_out_and_the_refusals(client, village):
    action = publish(village)
    with frozen(NOW):
        client.post(f"{API}/{action.id}/signup", headers=bearer(village.resident))
    with frozen(START):
        token = client.get(f"/admin/api/v1/actions/{action.id}/qr?phase=in",
                           headers=bearer(village.cadre, "staff")).get_json()["data"]["token"]
        forged = client.post(f"{API}/{action.id}/check-in", json={"token": token[:-2] + "xx"},
                             headers=bearer(village.resident))
        assert forged.status_code == 422
        assert forged.get_json()["error"]["code"] == "action.qr_invalid"
        ok = client.post(f"{API}/{action.id}/check-in", json={"token": token},
                         headers=bearer(village.resident))
        assert ok.status_code == 200 and ok.get_json()["data"]["checked_in_at"]
    with frozen(START + dt.timedelta(minutes=10)):
        stale = client.post(f"{API}/{action.id}/check-out", json={"token": token},
                            headers=bearer(village.resident))
        assert stale.get_json()["error"]["code"] == "action.qr_wrong_phase"
    with frozen(START + dt.timedelta(minutes=80)):
        out = client.get(f"/admin/api/v1/actions/{action.id}/qr?phase=out",
                         headers=bearer(village.cadre, "staff")).get_json()["data"]["token"]
        done = client.post(f"{API}/{action.id}/check-out", json={"token": out},
                           headers=bearer(village.resident))
        assert done.get_json()["data"]["suggested_minutes"] == 80
    with frozen(START + dt.timedelta(minutes=90)):
        late = client.post(f"{API}/{action.id}/check-out", json={"token": out},
                           headers=bearer(village.resident))
        assert late.get_json()["error"]["code"] == "action.qr_expired"


def test_a_resident_organiser_runs_an_action_from_the_mini_program(client, village):
    services.approve_organiser(village.actor(village.cadre), user_id=village.neighbour.id,
                               region_id=village.tree.village_a1.id)
    organiser = bearer(village.neighbour)
    body = {"region_id": village.tree.village_a1.id, "title": "助老陪伴", "place": "活动室",
            "starts_at": "2026-11-24T09:00:00", "ends_at": "2026-11-24T11:00:00",
            "capacity": 5}
    with frozen(NOW):
        made = client.post(API, json=body, headers=organiser)
        assert made.status_code == 201
        action_id = made.get_json()["data"]["id"]
        assert made.get_json()["data"]["starts_at"] == "2026-11-24T09:00:00+08:00"
        client.post(f"{API}/{action_id}/signup", headers=bearer(village.resident))
        denied = client.post(API, json=body, headers=bearer(village.resident))
        assert denied.status_code == 403
    roster = client.get(f"{API}/{action_id}/signups", headers=organiser).get_json()["data"]
    signup_id = roster["items"][0]["id"]
    with frozen(END):
        decided = client.post(f"{API}/signups/{signup_id}/attendance", headers=organiser,
                              json={"decision": "correct", "minutes": 90, "reason": "现场登记"})
    assert decided.get_json()["data"]["minutes"] == 90
    mine = client.get("/api/v1/points/me", headers=bearer(village.resident)).get_json()
    assert mine["data"]["person"]["balance"] == 15
    assert client.get(f"{API}/{action_id}/qr?phase=in",
                      headers=bearer(village.resident)).status_code == 403


def test_a_volunteer_downloads_their_record_and_certificate(client, village):
    action = publish(village)
    with frozen(NOW):
        client.post(f"{API}/{action.id}/signup", headers=bearer(village.resident))
    signup = client.get(f"{API}/{action.id}", headers=bearer(village.resident)).get_json()
    with frozen(END):
        client.post(f"/admin/api/v1/actions/signups/{signup['data']['mine']['id']}/attendance",
                    headers=bearer(village.cadre, "staff"),
                    json={"decision": "correct", "minutes": 120, "reason": "补录"})
    sheet = client.get(f"{API}/service-record.xlsx", headers=bearer(village.resident))
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[3][1] == "清洁家园" and rows[-1][4] == 2.0
    pdf = client.get(f"{API}/service-record.pdf", headers=bearer(village.resident))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert client.get(f"{API}/service-record.pdf",
                      headers=bearer(village.visitor)).status_code == 422
