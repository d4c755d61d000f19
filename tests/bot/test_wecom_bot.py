"""The WeCom smart bot callback end to end: real crypto, through the Flask endpoint."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

from app.bot.models import BotGroup, BotLedger, BotMessage
from app.clock import frozen
from app.requests.models import Request
from bot.crypto import JsonCrypt
from tests.bot import wire

TRACKING = re.compile(r"R\d{8}-\d{4}")
# A vector computed once with the WeCom documentation's sample key and frozen here: random
# prefix "0123456789abcdef", receive id "", timestamp 1409659589, nonce 263014780.
VECTOR_ENCRYPT = (
    "sKqRbbiSUnDhFHOvPjtUMcVfXg/iTqZv+mIgV/pBEebsEbIFOjksEyByTpo88hOEtjI9iSgaOAAP583MIss08SIg"
    "pbAVpA5/8GGdHxW1qMOv7sro29r/EuHpygVmqaOFsXRCa6+mdFrR2c+1VyI808WAhPZPrAHHTMv2smeMjpWLCXyI"
    "9D3CiKBhJTfT6LMcx7gy/rH3pZzyeFY0pMTt6jId7gn7bLiffDO3zzWq1BlEXBZwqoCE6UnntDM5xLtg")
VECTOR_SIGNATURE = "1a8e2f8f17fdf43b26387b070427e510ff04c0db"
VECTOR_AT = dt.datetime(2014, 9, 2, 12, 6, 29)  # 1409659589 in UTC


def message(text: str, *, msgid: str, userid: str = "zhangsan", chatid: str = "wrGroup1",
            chattype: str = "group") -> dict:
    return {"msgid": msgid, "aibotid": "AIBOT1", "chatid": chatid, "chattype": chattype,
            "from": {"userid": userid}, "msgtype": "text",
            "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?code=abc",
            "text": {"content": f"@社区助手 {text}"}}


def post(client, endpoint, payload: dict, **kwargs):
    args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, payload, **kwargs)
    return client.post(f"/bot/wecom-bot/{endpoint.id}", query_string=args, data=body,
                       content_type="application/json")


def answer_of(response) -> str:
    sealed = response.get_json()
    assert sealed["msgsignature"] == wire.sha1(wire.DOC_TOKEN, str(sealed["timestamp"]),
                                               sealed["nonce"], sealed["encrypt"])
    plaintext, receive_id = wire.decrypt(wire.DOC_AES_KEY, sealed["encrypt"])
    assert receive_id == ""
    reply = json.loads(plaintext)
    assert reply["msgtype"] == "stream" and reply["stream"]["finish"] is True
    return reply["stream"]["content"]


def bind(client, endpoint, code: str) -> None:
    response = post(client, endpoint, message(f"绑定 {code}", msgid="bind-1", userid="gw"))
    assert answer_of(response).startswith("绑定成功")


def test_the_frozen_vector_decrypts_with_the_documented_key():
    crypt = JsonCrypt(wire.DOC_TOKEN, wire.DOC_AES_KEY)
    body = json.dumps({"encrypt": VECTOR_ENCRYPT}).encode()
    decoded = crypt.decrypt_body(body, VECTOR_SIGNATURE, "1409659589", "263014780")
    assert decoded["text"]["content"] == "@RobotA 楼道灯坏了"
    assert base64.b64decode(VECTOR_ENCRYPT)[:4]  # a real ciphertext, not a placeholder


def test_the_frozen_vector_drives_the_endpoint(client, endpoints, binding_code):
    with frozen(VECTOR_AT):
        response = client.post(
            f"/bot/wecom-bot/{endpoints['wecom_bot'].id}",
            query_string={"msg_signature": VECTOR_SIGNATURE, "timestamp": "1409659589",
                          "nonce": "263014780"},
            data=json.dumps({"encrypt": VECTOR_ENCRYPT}), content_type="application/json")
    assert response.status_code == 200
    assert "还没有绑定" in answer_of(response)


def test_url_verification_echoes_the_decrypted_echostr(client, endpoints):
    timestamp, nonce = wire.now_ts(), "nonce1"
    echostr = wire.encrypt(wire.DOC_AES_KEY, "1616140317555161061", "")
    response = client.get(f"/bot/wecom-bot/{endpoints['wecom_bot'].id}", query_string={
        "msg_signature": wire.sha1(wire.DOC_TOKEN, timestamp, nonce, echostr),
        "timestamp": timestamp, "nonce": nonce, "echostr": echostr})
    assert (response.status_code, response.get_data(as_text=True)) == (
        200, "1616140317555161061")


def test_a_complaint_in_a_bound_group_creates_one_request_numbered_in_the_reply(
        client, endpoints, binding_code):
    endpoint = endpoints["wecom_bot"]
    bind(client, endpoint, binding_code())
    response = post(client, endpoint,
                    message("投诉 楼道里堆满了杂物，消防通道都堵了", msgid="m-1"))
    request = Request.get()
    assert request.tracking_no in answer_of(response)
    assert request.channel == "group_bot"
    assert BotMessage.get().text == "投诉 楼道里堆满了杂物，消防通道都堵了"  # mention stripped


def test_the_same_callback_three_times_creates_one_request(client, endpoints, binding_code):
    endpoint = endpoints["wecom_bot"]
    bind(client, endpoint, binding_code())
    payload = message("报修：2单元电梯又坏了，卡在三楼不动", msgid="retry-me")
    args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, payload)
    answers = []
    for _ in range(3):
        response = client.post(f"/bot/wecom-bot/{endpoint.id}", query_string=args, data=body,
                               content_type="application/json")
        answers.append(answer_of(response))
    assert Request.select().count() == 1
    assert answers[0] == answers[1] == answers[2]
    assert TRACKING.search(answers[0]).group(0) == Request.get().tracking_no


def test_the_response_url_is_kept_encrypted_for_one_later_notice(client, endpoints,
                                                                 binding_code):
    endpoint = endpoints["wecom_bot"]
    bind(client, endpoint, binding_code())
    group = BotGroup.get()
    assert group.response_url_cipher and "qyapi" not in group.response_url_cipher
    assert group.response_url_expires_at is not None


def _nothing_stored():
    return BotLedger.select().count() == 0 and Request.select().count() == 0


def test_a_bad_signature_is_refused_with_nothing_stored(client, endpoints):
    args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY,
                                     message("投诉 楼道堵了", msgid="x"))
    args["msg_signature"] = "0" * 40
    response = client.post(f"/bot/wecom-bot/{endpoints['wecom_bot'].id}", query_string=args,
                           data=body, content_type="application/json")
    assert response.status_code == 403
    assert _nothing_stored()


def test_a_stale_timestamp_is_refused_with_nothing_stored(client, endpoints):
    stale = str(int(wire.now_ts()) - 301)
    response = post(client, endpoints["wecom_bot"], message("投诉 楼道堵了", msgid="x"),
                    timestamp=stale)
    assert response.status_code == 403
    assert _nothing_stored()


def test_a_truncated_body_is_refused_with_nothing_stored(client, endpoints):
    args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY,
                                     message("投诉 楼道堵了", msgid="x"))
    response = client.post(f"/bot/wecom-bot/{endpoints['wecom_bot'].id}", query_string=args,
                           data=body[:-20], content_type="application/json")
    assert response.status_code == 400
    assert _nothing_stored()


def test_a_message_missing_its_fields_is_refused_with_nothing_stored(client, endpoints):
    response = post(client, endpoints["wecom_bot"], {"msgtype": "text", "text": {}})
    assert response.status_code == 400
    assert _nothing_stored()


def test_an_oversize_body_is_refused(client, endpoints):
    args, _ = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, message("x", msgid="x"))
    response = client.post(f"/bot/wecom-bot/{endpoints['wecom_bot'].id}", query_string=args,
                           data=b"{" + b" " * 70_000 + b"}", content_type="application/json")
    assert response.status_code == 413
    assert _nothing_stored()


@pytest.mark.parametrize("kind", ["wecom_app", "missing"])
def test_an_unknown_endpoint_is_404(client, endpoints, kind):
    endpoint_id = endpoints[kind].id if kind in endpoints else 9999
    response = post(client, type("E", (), {"id": endpoint_id}), message("x", msgid="x"))
    assert response.status_code == 404


def test_images_and_events_get_an_empty_answer(client, endpoints):
    payload = {"msgid": "img-1", "aibotid": "A", "chatid": "c", "chattype": "group",
               "from": {"userid": "u"}, "msgtype": "image", "image": {"url": "https://x"}}
    response = post(client, endpoints["wecom_bot"], payload)
    assert (response.status_code, response.data) == (200, b"")
