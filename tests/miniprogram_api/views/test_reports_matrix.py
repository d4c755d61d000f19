"""The authorization matrix: every report endpoint × every role × both modes.

For each role the report is submitted between two snapshots. Everyone but the discipline
officers it was routed to must see exactly what they would see if it did not exist:

* every endpoint about one report answers for the real report exactly as for a report id that
  does not exist (status and body);
* every list and count they can reach (report queue, statistics, their notice inbox, the
  general audit log) is the same before and after the submission;
* receipt endpoints without the receipt answer "no such report" to everyone alike.

The in-scope officer is the control: for them the same probes differ.
"""

from __future__ import annotations

import io

import pytest

from app.reports import reveal, services
from tests.app.media import samples
from tests.app.reports.world import BODY, KEY_PASSWORD, build_world, light_kdf  # noqa: F401

R = "/api/v1/reports"
A = "/admin/api/v1/reports"
MISSING = 987_654
ROLES = ("resident", "accused", "other_cadre", "grid_worker", "officer", "other_town_officer",
         "town_admin", "sysadmin")
IN_SCOPE = {"officer"}


def per_report_probes(report_id: int, reveal_id: int, attachment_id: int) -> list[tuple]:
    base = f"{A}/{report_id}"
    return [
        ("get", base, None),
        ("post", f"{base}/transition", {"to": "accepted"}),
        ("post", f"{base}/notes", {"text": "记录"}),
        ("post", f"{base}/messages", {"text": "留言"}),
        ("get", f"{base}/audit", None),
        ("get", f"{base}/attachments/{attachment_id}", None),
        ("post", f"{base}/reveal-requests", {"reason": "需要核实举报人身份以便当面询问"}),
        ("post", f"{base}/reveal-requests/{reveal_id}/approve", None),
        ("post", f"{base}/reveal-requests/{reveal_id}/refuse", None),
        ("post", f"{base}/reveal", None),
        ("post", f"{base}/recuse", None),
    ]


LIST_PROBES = [
    ("get", f"{A}?queue=all", None),
    ("get", f"{A}?queue=open", None),
    ("get", f"{A}?queue=overdue", None),
    ("get", f"{A}/statistics?group_by=status", None),
    ("get", f"{A}/statistics?group_by=village", None),
    ("get", f"{A}/statistics?group_by=month", None),
    ("get", "/api/v1/notifications?limit=100", None),
    ("get", "/admin/api/v1/audit?limit=100", None),
]
RECEIPT_PROBES = [
    ("post", f"{R}/status", {}),
    ("post", f"{R}/messages", {"text": "你好"}),
    ("post", f"{R}/information", {"text": "补充"}),
]


def call(client, headers, method, path, body):
    if body is None:
        res = getattr(client, method)(path, headers=headers)
    else:
        res = getattr(client, method)(path, json=body, headers=headers)
    return res.status_code, res.get_json()


@pytest.fixture
def world(light_kdf):  # noqa: F811
    return build_world()


@pytest.mark.parametrize("mode", ["anonymous", "confidential"])
@pytest.mark.parametrize("role", ROLES)
def test_excluded_accounts_cannot_tell_a_report_from_none(client, world, role, mode):
    user = getattr(world, role)
    kind = "miniprogram" if role == "resident" else "staff"
    headers = {"Authorization": f"Bearer {world.token(user, kind)}",
               "X-Forwarded-For": "198.51.100.1"}
    if role in ("officer", "other_town_officer"):
        res = client.post(f"{A}/keys/unlock", json={"key_password": KEY_PASSWORD},
                          headers=headers)
        assert res.status_code == 200
    before = [call(client, headers, *p) for p in LIST_PROBES]

    result = world.submit(mode, client=f"{role}-{mode}")
    attachment_id = _attach(client, result.receipt)
    reveal_id = MISSING
    if mode == "confidential":
        actor, token = world.session(world.officer2)
        detail = reveal.request_reveal(actor, result.report_id,
                                       "需要与举报人当面核实转账截图的来源", session_token=token)
        reveal_id = detail["reveal_requests"][0]["id"]

    after = [call(client, headers, *p) for p in LIST_PROBES]
    real = [call(client, headers, *p)
            for p in per_report_probes(result.report_id, reveal_id, attachment_id)]
    fake = [call(client, headers, *p) for p in per_report_probes(MISSING, MISSING, MISSING)]
    no_receipt = [call(client, headers, *p) for p in RECEIPT_PROBES]

    if role in IN_SCOPE:
        assert real != fake
        assert before != after
        assert real[0][0] == 200 and real[0][1]["data"]["text"] == BODY
    else:
        for probe, got, expected in zip(per_report_probes(result.report_id, reveal_id,
                                                          attachment_id), real, fake,
                                        strict=True):
            assert got == expected, probe
        for probe, got, expected in zip(LIST_PROBES, after, before, strict=True):
            assert got == expected, probe
    assert {status for status, _ in no_receipt} == {404}
    assert {body["error"]["code"] for _, body in no_receipt} == {"report.not_found"}


def _attach(client, receipt: str) -> int:
    res = client.post(f"{R}/attachments", headers={"X-Report-Receipt": receipt},
                      data={"file": (io.BytesIO(samples.jpeg_bytes()), "a.jpg")},
                      content_type="multipart/form-data")
    assert res.status_code == 201
    return res.get_json()["data"]["attachment_id"]


def test_when_a_town_officer_is_accused_the_whole_town_level_sees_nothing(client, world):
    probes = {}
    for user in (world.officer, world.officer2, world.district_officer):
        headers = {"Authorization": f"Bearer {world.token(user)}"}
        client.post(f"{A}/keys/unlock", json={"key_password": KEY_PASSWORD}, headers=headers)
        probes[user.id] = (headers, [call(client, headers, *p) for p in LIST_PROBES])
    result = world.submit(accused=world.officer, role="discipline_officer")
    for user in (world.officer, world.officer2):
        headers, before = probes[user.id]
        assert [call(client, headers, *p) for p in LIST_PROBES] == before
        real = [call(client, headers, *p) for p in per_report_probes(result.report_id, 1, 1)]
        fake = [call(client, headers, *p) for p in per_report_probes(MISSING, 1, 1)]
        assert real == fake
    headers, before = probes[world.district_officer.id]
    assert [call(client, headers, *p) for p in LIST_PROBES] != before
    assert call(client, headers, "get", f"{A}/{result.report_id}", None)[0] == 200


def test_an_officer_appointed_to_the_village_later_loses_sight_of_the_report(client, world):
    from tests.factories import grant

    result = world.submit()
    grant(world.officer2, "supervision_committee", world.tree.village_a1)
    headers = {"Authorization": f"Bearer {world.token(world.officer2)}"}
    client.post(f"{A}/keys/unlock", json={"key_password": KEY_PASSWORD}, headers=headers)
    real = [call(client, headers, *p) for p in per_report_probes(result.report_id, 1, 1)]
    fake = [call(client, headers, *p) for p in per_report_probes(MISSING, 1, 1)]
    assert real == fake
    assert call(client, headers, "get", f"{A}?queue=all", None)[1]["data"]["items"] == []
    assert services.reporter_status(result.receipt, client="c")["status"] == "received"
