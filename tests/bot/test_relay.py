"""The signed relay webhook end to end."""

from __future__ import annotations

import json
import re

from app.bot.models import BotLedger
from app.requests.models import Request
from tests.bot import wire
from tests.bot.conftest import RELAY_SECRET

TRACKING = re.compile(r"R\d{8}-\d{4}")


def body(text: str, msg_id: str, sender: str = "wmResident1") -> bytes:
    return json.dumps({"msg_id": msg_id, "chat_id": "room-1",
                       "sender": {"id": sender, "kind": "wecom_external"}, "text": text},
                      ensure_ascii=False).encode()


def post(client, bridge, payload: bytes, **header_overrides):
    headers = {**wire.relay_headers(bridge.id, RELAY_SECRET, payload), **header_overrides}
    return client.post("/bot/relay", data=payload, headers=headers)


def test_a_complaint_forwarded_by_the_bridge_creates_one_request(client, endpoints,
                                                                 binding_code):
    bridge = endpoints["relay"]
    bound = post(client, bridge, body(f"绑定 {binding_code()}", "b1", sender="wo-gw"))
    assert bound.get_json()["data"]["outcome"] == "bound"
    payload = body("投诉 小区门口的垃圾桶好几天没人清了，臭气熏天", "c1")
    replies = [post(client, bridge, payload).get_json()["data"]["reply"] for _ in range(3)]
    assert Request.select().count() == 1
    assert replies[0] == replies[1] == replies[2]
    assert TRACKING.search(replies[0]).group(0) == Request.get().tracking_no


def test_a_bad_signature_is_403_with_nothing_stored(client, endpoints):
    response = post(client, endpoints["relay"], body("投诉 垃圾没人清", "x1"),
                    **{"X-Linli-Signature": "0" * 64})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "bot.bad_signature"
    assert BotLedger.select().count() == 0


def test_a_stale_timestamp_is_refused(client, endpoints):
    payload = body("投诉 垃圾没人清", "x2")
    stale = str(int(wire.now_ts()) - 301)
    headers = wire.relay_headers(endpoints["relay"].id, RELAY_SECRET, payload, timestamp=stale)
    assert client.post("/bot/relay", data=payload, headers=headers).status_code == 403
    assert BotLedger.select().count() == 0


def test_a_signed_but_truncated_body_is_400_with_nothing_stored(client, endpoints):
    payload = body("投诉 垃圾没人清", "x3")[:-10]
    response = post(client, endpoints["relay"], payload)
    assert response.status_code == 400
    assert BotLedger.select().count() == 0


def test_oversize_is_413_and_an_unknown_bridge_403(client, endpoints):
    big = b"{" + b" " * 70_000 + b"}"
    assert post(client, endpoints["relay"], big).status_code == 413
    assert post(client, endpoints["relay"], body("x", "x4"),
                **{"X-Linli-Bridge": "abc"}).status_code == 403


def test_another_endpoints_secret_does_not_verify(client, endpoints):
    payload = body("投诉 垃圾没人清", "x5")
    headers = wire.relay_headers(endpoints["wecom_bot"].id, RELAY_SECRET, payload)
    assert client.post("/bot/relay", data=payload, headers=headers).status_code == 404
