"""WeCom app (企业微信自建应用) callbacks: encrypted XML through ``wechatpy.work``.

Messages to the app are private (a resident or staff member and the app), so replies go back
privately as an encrypted passive XML reply.
"""

from __future__ import annotations

import datetime as dt
from xml.parsers.expat import ExpatError

from wechatpy.exceptions import InvalidSignatureException
from wechatpy.work import parse_message
from wechatpy.work.crypto import WeChatCrypto
from wechatpy.work.replies import TextReply

from app.bot.config import EndpointSecrets
from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BotEndpoint
from bot.adapters.common import epoch, from_epoch
from bot.crypto import CallbackRefused, check_timestamp

CHANNEL = "wecom_app"


def _crypto(endpoint: BotEndpoint, secrets: EndpointSecrets) -> WeChatCrypto:
    return WeChatCrypto(secrets.token or "", secrets.encoding_aes_key or "", endpoint.receive_id)


def verify(endpoint: BotEndpoint, secrets: EndpointSecrets, args, now: dt.datetime) -> str:
    timestamp = args.get("timestamp", "")
    check_timestamp(timestamp, epoch(now))
    echostr = args.get("echostr")
    if not echostr:
        raise CallbackRefused(400, "bot.malformed")
    try:
        return _crypto(endpoint, secrets).check_signature(
            args.get("msg_signature", ""), timestamp, args.get("nonce", ""), echostr)
    except InvalidSignatureException as exc:
        raise CallbackRefused(403, "bot.bad_signature") from exc
    except Exception as exc:  # undecryptable or another corp's echo
        raise CallbackRefused(400, "bot.undecryptable") from exc


def open_xml(crypto: WeChatCrypto, body: bytes, args) -> str:
    """Verify and decrypt an encrypted XML body (shared with the official account)."""
    try:
        import xmltodict

        envelope = xmltodict.parse(body)["xml"]
        ciphertext = envelope["Encrypt"]
    except (ExpatError, KeyError, TypeError, ValueError) as exc:
        raise CallbackRefused(400, "bot.malformed") from exc
    if not isinstance(ciphertext, str):
        raise CallbackRefused(400, "bot.malformed")
    try:
        return crypto.decrypt_message({"Encrypt": ciphertext}, args.get("msg_signature", ""),
                                      args.get("timestamp", ""), args.get("nonce", ""))
    except InvalidSignatureException as exc:
        raise CallbackRefused(403, "bot.bad_signature") from exc
    except Exception as exc:  # malformed ciphertext, or meant for another corp / appid
        raise CallbackRefused(400, "bot.undecryptable") from exc


def parse(xml: str | bytes, parser=parse_message):
    """The wechatpy message, its text-message fields checked, else 400 (shared with the
    official account, whose ``parser`` differs). wechatpy returns None for an empty document
    and converts fields lazily, so a text message's fields are read here, where a bad value
    (``<MsgType><a/></MsgType>``, a CreateTime out of range, a nested FromUserName) is a 400
    rather than an error later in the callback."""
    try:
        message = parser(xml)
        if message is None:
            raise CallbackRefused(400, "bot.malformed")
        if message.type == "text":
            if message.create_time is not None:
                message.create_time.timestamp()
            if not (isinstance(message.source, str) and len(message.source) <= 128
                    and isinstance(message.content, str) and len(message.content) <= 4000
                    and isinstance(message.id, int | None)):
                raise CallbackRefused(400, "bot.malformed")
        return message
    except (AttributeError, ExpatError, KeyError, OSError, OverflowError, TypeError,
            ValueError) as exc:
        raise CallbackRefused(400, "bot.malformed") from exc


def callback(endpoint: BotEndpoint, secrets: EndpointSecrets, args, body: bytes,
             now: dt.datetime) -> tuple[bytes, str]:
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    check_timestamp(timestamp, epoch(now))
    crypto = _crypto(endpoint, secrets)
    message = parse(open_xml(crypto, body, args))
    if message.type != "text" or not message.id or not message.source:
        return b"", "text/plain"
    created = from_epoch(message.create_time.timestamp()) if message.create_time else now
    inbound = InboundMessage(
        channel=CHANNEL, msg_id=f"{endpoint.id}:{message.id}",
        chat_id=f"{endpoint.id}:single:{message.source}",
        sender=Sender("wecom_user", message.source, endpoint.receive_id), text=message.content,
        created_at=created, chat_type="single", endpoint_id=endpoint.id)
    outcome = receive(inbound, now=now)
    if not outcome.answer:
        return b"", "text/plain"
    reply = TextReply(message=message, content=outcome.answer).render()
    return crypto.encrypt_message(reply, nonce, timestamp).encode(), "application/xml"
