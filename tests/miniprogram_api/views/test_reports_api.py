"""The reports API over HTTP: both submission modes, the receipt, officers' work, the guards."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.reports.models import Report
from tests.app.media import samples
from tests.app.reports.world import BODY, KEY_PASSWORD, build_world, light_kdf  # noqa: F401

R = "/api/v1/reports"
A = "/admin/api/v1/reports"


@pytest.fixture
def world(light_kdf):  # noqa: F811
    return build_world()


def staff(world, user) -> dict:
    return {"Authorization": f"Bearer {world.token(user)}"}


def unlocked(client, world, user) -> dict:
    headers = staff(world, user)
    res = client.post(f"{A}/keys/unlock", json={"key_password": KEY_PASSWORD}, headers=headers)
    assert res.status_code == 200 and res.get_json()["data"]["unlocked"]
    return headers


def submit(client, world, mode="anonymous", headers=None, **extra):
    body = {"village_id": world.tree.village_a1.id, "text": BODY,
            "accused_user_id": world.accused.id, **extra}
    path = f"{R}/anonymous" if mode == "anonymous" else R
    if mode == "confidential" and headers is None:
        headers = {"Authorization": f"Bearer {world.token(world.resident, 'miniprogram')}"}
    res = client.post(path, json=body, headers=headers or {})
    assert res.status_code == 201, res.get_json()
    return res.get_json()["data"]


def test_the_notice_says_honestly_what_anonymity_means(client):
    res = client.get(f"{R}/notice")
    data = res.get_json()["data"]
    assert "微信和服务器运营方仍能看到网络访问记录" in data["anonymous"]
    assert "IP" in data["anonymous"] and "openid" in data["anonymous"]
    assert res.headers["Cache-Control"] == "no-store"


def test_anonymous_submission_never_reads_the_authorization_header(client, world, monkeypatch):
    import miniprogram_api.auth as auth

    def forbidden(*args, **kwargs):
        raise AssertionError("the anonymous route looked at the caller's token")

    monkeypatch.setattr(auth, "bearer_token", forbidden)
    monkeypatch.setattr(auth, "resolve_token", forbidden)
    headers = {"Authorization": f"Bearer {world.token(world.resident, 'miniprogram')}"}
    data = submit(client, world, "anonymous", headers=headers)
    report = Report.get_by_id(data["report_id"])
    assert report.mode == "anonymous" and report.identity_cipher is None
    assert len(data["receipt"].replace("-", "")) == 16
    assert "IP" in data["notice"]


def test_an_anonymous_report_stores_no_openid_phone_or_address(client, world):
    from tests.app.reports.test_dump import _dump_text

    client.post(f"{R}/anonymous", environ_base={"REMOTE_ADDR": "203.0.113.77"},
                headers={"User-Agent": "MicroMessenger/8.0 unique-agent-42"},
                json={"village_id": world.tree.village_a1.id, "text": BODY,
                      "accused_user_id": world.accused.id})
    dump = _dump_text()
    assert "203.0.113.77" not in dump and "unique-agent-42" not in dump


def test_a_confidential_report_needs_a_login(client, world):
    res = client.post(R, json={"village_id": world.tree.village_a1.id, "text": BODY,
                               "accused_user_id": world.accused.id})
    assert res.status_code == 401


def test_the_receipt_works_in_the_body_or_a_header_and_never_in_a_url(app, client, world):
    data = submit(client, world)
    by_body = client.post(f"{R}/status", json={"receipt": data["receipt"]})
    by_header = client.post(f"{R}/status", json={},
                            headers={"X-Report-Receipt": data["receipt"].replace("-", "")})
    assert by_body.status_code == by_header.status_code == 200
    assert by_body.get_json()["data"]["status"] == "received"
    assert by_body.headers["Cache-Control"] == "no-store"
    for rule in app.url_map.iter_rules():
        if "reports" in rule.rule:
            assert "receipt" not in rule.rule and rule.arguments <= {
                "report_id", "reveal_id", "attachment_id"}


def test_wrong_receipts_get_no_such_report_then_a_lockout(client, world):
    submit(client, world)
    answers = [client.post(f"{R}/status", json={"receipt": f"000000000000000{i}"})
               for i in range(5)]
    assert [a.status_code for a in answers] == [404, 404, 404, 404, 429]
    assert answers[0].get_json()["error"]["code"] == "report.not_found"
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_the_whole_exchange_between_reporter_and_officer(client, world):
    data = submit(client, world, "confidential")
    receipt = {"X-Report-Receipt": data["receipt"]}
    assert client.post(f"{R}/information", json={"text": "补充：有三名证人"},
                       headers=receipt).status_code == 201
    officer = unlocked(client, world, world.officer)
    queue = client.get(A, headers=officer).get_json()["data"]["items"]
    assert [item["id"] for item in queue] == [data["report_id"]]
    detail = client.get(f"{A}/{data['report_id']}", headers=officer)
    assert detail.status_code == 200 and detail.headers["Cache-Control"] == "no-store"
    assert detail.get_json()["data"]["text"] == BODY
    res = client.post(f"{A}/{data['report_id']}/transition", json={"to": "accepted"},
                      headers=officer)
    assert res.get_json()["data"]["status"] == "accepted"
    client.post(f"{A}/{data['report_id']}/messages", json={"text": "已受理，请保持联系"},
                headers=officer)
    status = client.post(f"{R}/status", json={"receipt": data["receipt"]}).get_json()["data"]
    assert [m["text"] for m in status["messages"]] == ["补充：有三名证人", "已受理，请保持联系"]
    trail = client.get(f"{A}/{data['report_id']}/audit",
                       headers=staff(world, world.district_officer)).get_json()["data"]
    assert {"report.read", "report.transition", "report.message"} <= {
        e["action"] for e in trail["items"]}


def test_reveal_needs_a_second_officer_over_http(client, world):
    data = submit(client, world, "confidential")
    officer = unlocked(client, world, world.officer)
    res = client.post(f"{A}/{data['report_id']}/reveal-requests",
                      json={"reason": "需要与举报人当面核实转账截图的来源"}, headers=officer)
    assert res.status_code == 201
    reveal_id = res.get_json()["data"]["reveal_requests"][0]["id"]
    path = f"{A}/{data['report_id']}/reveal-requests/{reveal_id}"
    own = client.post(f"{path}/approve", headers=officer)
    assert own.status_code == 403
    assert own.get_json()["error"]["code"] == "report.self_approval"
    assert client.post(f"{A}/{data['report_id']}/reveal", headers=officer).status_code == 403
    assert client.post(f"{path}/approve",
                       headers=staff(world, world.officer2)).status_code == 200
    identity = client.post(f"{A}/{data['report_id']}/reveal", headers=officer)
    assert identity.get_json()["data"]["name"] == "举报的村民"


def test_attachments_lose_their_metadata_and_are_stored_encrypted(client, world):
    data = submit(client, world)
    photo = samples.jpeg_bytes((30, 10), gps=True)
    res = client.post(f"{R}/attachments", headers={"X-Report-Receipt": data["receipt"]},
                      data={"file": (io.BytesIO(photo), "证据.jpg")},
                      content_type="multipart/form-data")
    assert res.status_code == 201, res.get_json()
    attachment_id = res.get_json()["data"]["attachment_id"]
    officer = unlocked(client, world, world.officer)
    got = client.get(f"{A}/{data['report_id']}/attachments/{attachment_id}", headers=officer)
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert got.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(got.data))
    assert image.size == (30, 10) and not image.getexif()
    assert samples.CAMERA_MAKE.encode() not in got.data


def test_setting_up_and_locking_a_key_over_http(client, world):
    from tests.factories import grant, make_user

    newcomer = make_user()
    grant(newcomer, "discipline_officer", world.tree.town_a)
    headers = staff(world, newcomer)
    assert client.get(f"{A}/keys", headers=headers).get_json()["data"]["has_key"] is False
    res = client.post(f"{A}/keys", json={"key_password": "New-key-password-1"}, headers=headers)
    assert res.status_code == 201 and res.get_json()["data"]["has_key"]
    client.post(f"{A}/keys/unlock", json={"key_password": "New-key-password-1"},
                headers=headers)
    assert client.get(f"{A}/keys", headers=headers).get_json()["data"]["unlocked"]
    locked = client.post(f"{A}/keys/lock", headers=headers).get_json()["data"]
    assert locked["unlocked"] is False


def test_statistics_suppress_small_counts_over_http(client, world):
    submit(client, world)
    res = client.get(f"{A}/statistics?group_by=village", headers=staff(world, world.officer))
    assert res.get_json()["data"] == {"group_by": "village", "total": "<5", "groups": []}


def test_configuration_by_town_admin_over_http(client, world):
    headers = staff(world, world.town_admin)
    res = client.put(f"{A}/settings/retention", headers=headers,
                     json={"region_id": world.tree.town_a.id, "retention_days": 730})
    assert res.get_json()["data"]["retention_days"] == 730
    res = client.put(f"{A}/settings/village-heads", headers=headers,
                     json={"village_id": world.tree.village_a1.id,
                           "user_id": world.accused.id, "is_head": True})
    assert res.status_code == 200
    data = submit(client, world)
    assert Report.get_by_id(data["report_id"]).handling_region_id == world.tree.district.id
    assert data["retention_days"] != 730  # the district keeps the default
