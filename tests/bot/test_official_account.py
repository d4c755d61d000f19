"""The official account callback in plain and safe mode, end to end."""

from __future__ import annotations

import xmltodict

from app.bot.models import BotLedger
from tests.bot import wire

APPID = "wx2c2769f8efd9abc2"


def plain_args(timestamp: str | None = None, nonce: str = "n1") -> dict:
    timestamp = timestamp or wire.now_ts()
    return {"signature": wire.sha1(wire.DOC_TOKEN, timestamp, nonce), "timestamp": timestamp,
            "nonce": nonce}


def xml(content: str, msg_id: str) -> str:
    return wire.text_xml(to="gh_community", sender="oResident1", content=content, msg_id=msg_id)


def test_url_verification_checks_the_plain_signature(client, endpoints):
    url = f"/bot/mp/{endpoints['mp'].id}"
    assert client.get(url, query_string={**plain_args(), "echostr": "abc123"}).data == b"abc123"
    bad = {**plain_args(), "signature": "0" * 40, "echostr": "abc123"}
    assert client.get(url, query_string=bad).status_code == 403


def test_plain_mode_replies_in_plain_xml(client, endpoints):
    response = client.post(f"/bot/mp/{endpoints['mp'].id}", query_string=plain_args(),
                           data=xml("帮助", "5001").encode(), content_type="text/xml")
    reply = xmltodict.parse(response.data)["xml"]
    assert reply["ToUserName"] == "oResident1"
    assert reply["Content"].startswith("我是社区诉求助手")


def test_safe_mode_decrypts_and_encrypts(client, endpoints):
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, APPID, xml("帮助", "5002"))
    response = client.post(f"/bot/mp/{endpoints['mp'].id}",
                           query_string={**args, "encrypt_type": "aes"}, data=body)
    envelope = xmltodict.parse(response.data)["xml"]
    plaintext, receive_id = wire.decrypt(wire.DOC_AES_KEY, envelope["Encrypt"])
    assert receive_id == APPID
    assert xmltodict.parse(plaintext)["xml"]["Content"].startswith("我是社区诉求助手")


def test_retries_replay_the_stored_answer(client, endpoints):
    url, body = f"/bot/mp/{endpoints['mp'].id}", xml("我的诉求", "5003").encode()
    first = xmltodict.parse(client.post(url, query_string=plain_args(), data=body).data)
    again = xmltodict.parse(client.post(url, query_string=plain_args(), data=body).data)
    assert first["xml"]["Content"] == again["xml"]["Content"]
    assert BotLedger.select().count() == 1


def test_refusals_store_nothing(client, endpoints):
    url, body = f"/bot/mp/{endpoints['mp'].id}", xml("帮助", "5004").encode()
    assert client.post(url, query_string={**plain_args(), "signature": "1" * 40},
                       data=body).status_code == 403
    stale = plain_args(timestamp=str(int(wire.now_ts()) + 400))
    assert client.post(url, query_string=stale, data=body).status_code == 403
    assert client.post(url, query_string=plain_args(), data=body[:30]).status_code == 400
    args, sealed = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, APPID, xml("帮助", "5005"))
    assert client.post(url, query_string={**args, "encrypt_type": "aes"},
                       data=sealed[:-30]).status_code == 400
    assert BotLedger.select().count() == 0


def test_events_are_answered_with_success(client, endpoints):
    event = ("<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]>"
             "</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType>"
             "<Event><![CDATA[subscribe]]></Event></xml>")
    response = client.post(f"/bot/mp/{endpoints['mp'].id}", query_string=plain_args(),
                           data=event.encode())
    assert (response.status_code, response.data) == (200, b"success")
