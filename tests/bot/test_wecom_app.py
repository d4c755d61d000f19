"""The WeCom app callback (encrypted XML via wechatpy.work) end to end."""

from __future__ import annotations

import datetime as dt

import xmltodict

from app.bot.models import BotLedger
from app.clock import frozen
from app.requests.models import Request
from tests.bot import wire

# WeCom's documented URL-verification sample (Token QDG6eK, CorpID wx5823bf96d3bd56c7).
DOC_ECHO = ("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaB"
            "O+FZXvnaqQ==")
DOC_AT = dt.datetime(2014, 9, 2, 12, 6, 29)  # timestamp 1409659589


def test_the_documented_sample_verifies_the_url(client, endpoints):
    with frozen(DOC_AT):
        response = client.get(f"/bot/wecom-app/{endpoints['wecom_app'].id}", query_string={
            "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
            "timestamp": "1409659589", "nonce": "263014780", "echostr": DOC_ECHO})
    assert (response.status_code, response.get_data(as_text=True)) == (
        200, "1616140317555161061")


def post(client, endpoint, content: str, msg_id: str, **kwargs):
    xml = wire.text_xml(to=wire.DOC_CORP_ID, sender="lisi", content=content, msg_id=msg_id,
                        agent_id="1000002")
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, wire.DOC_CORP_ID, xml, **kwargs)
    return client.post(f"/bot/wecom-app/{endpoint.id}", query_string=args, data=body,
                       content_type="text/xml")


def reply_text(response) -> str:
    envelope = xmltodict.parse(response.data)["xml"]
    assert envelope["MsgSignature"] == wire.sha1(wire.DOC_TOKEN, envelope["TimeStamp"],
                                                 envelope["Nonce"], envelope["Encrypt"])
    plaintext, receive_id = wire.decrypt(wire.DOC_AES_KEY, envelope["Encrypt"])
    assert receive_id == wire.DOC_CORP_ID
    reply = xmltodict.parse(plaintext)["xml"]
    assert reply["ToUserName"] == "lisi"
    return reply["Content"]


def test_a_private_message_gets_an_encrypted_passive_reply(client, endpoints):
    response = post(client, endpoints["wecom_app"], "帮助", "100001")
    assert response.status_code == 200
    assert reply_text(response).startswith("我是社区诉求助手")


def test_the_same_message_three_times_is_handled_once(client, endpoints):
    answers = [reply_text(post(client, endpoints["wecom_app"], "报修 楼道灯坏了", "100002"))
               for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert BotLedger.select().count() == 1
    assert Request.select().count() == 0  # private chat without a household: told where


def test_bad_signature_stale_timestamp_and_truncated_xml_store_nothing(client, endpoints):
    endpoint = endpoints["wecom_app"]
    xml = wire.text_xml(to=wire.DOC_CORP_ID, sender="lisi", content="帮助", msg_id="1")
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, wire.DOC_CORP_ID, xml)
    bad = dict(args, msg_signature="f" * 40)
    assert client.post(f"/bot/wecom-app/{endpoint.id}", query_string=bad,
                       data=body).status_code == 403
    assert post(client, endpoint, "帮助", "2",
                timestamp=str(int(wire.now_ts()) - 600)).status_code == 403
    assert client.post(f"/bot/wecom-app/{endpoint.id}", query_string=args,
                       data=body[:40]).status_code == 400
    assert BotLedger.select().count() == 0


def test_a_message_for_another_corp_is_refused(client, endpoints):
    xml = wire.text_xml(to="wwOTHER", sender="lisi", content="帮助", msg_id="3")
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, "wwOTHER", xml)
    response = client.post(f"/bot/wecom-app/{endpoints['wecom_app'].id}", query_string=args,
                           data=body)
    assert response.status_code == 400
    assert BotLedger.select().count() == 0
