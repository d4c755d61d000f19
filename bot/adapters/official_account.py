"""Official account (公众号) callbacks: XML in plain mode (``signature`` over token, timestamp,
nonce — WeChat does not sign the body in this mode) or safe mode (``encrypt_type=aes``,
``msg_signature`` over the ciphertext too, via ``wechatpy.crypto.WeChatCrypto``).

Residents write to the account privately; replies go back privately as passive XML replies.
"""

from __future__ import annotations

import datetime as dt

from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.replies import TextReply

from app.bot.config import EndpointSecrets
from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BotEndpoint
from bot.adapters.common import epoch, from_epoch
from bot.adapters.wecom_app import open_xml, parse
from bot.crypto import CallbackRefused, check_sha1, check_timestamp

CHANNEL = "official_account"


def verify(endpoint: BotEndpoint, secrets: EndpointSecrets, args, now: dt.datetime) -> str:
    timestamp = args.get("timestamp", "")
    check_timestamp(timestamp, epoch(now))
    check_sha1(args.get("signature"), secrets.token or "", timestamp, args.get("nonce", ""))
    echostr = args.get("echostr")
    if not echostr:
        raise CallbackRefused(400, "bot.malformed")
    return echostr


def _parse(xml: str | bytes):
    return parse(xml, parser=parse_message)


def callback(endpoint: BotEndpoint, secrets: EndpointSecrets, args, body: bytes,
             now: dt.datetime) -> tuple[bytes, str]:
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    check_timestamp(timestamp, epoch(now))
    safe = args.get("encrypt_type") == "aes"
    crypto = None
    if safe:
        if not secrets.encoding_aes_key:
            raise CallbackRefused(403, "bot.bad_signature")
        crypto = WeChatCrypto(secrets.token or "", secrets.encoding_aes_key,
                              endpoint.receive_id)
        message = _parse(open_xml(crypto, body, args))
    else:
        check_sha1(args.get("signature"), secrets.token or "", timestamp, nonce)
        message = _parse(body)
    if message.type != "text" or not message.id or not message.source:
        return b"success", "text/plain"
    created = from_epoch(message.create_time.timestamp()) if message.create_time else now
    inbound = InboundMessage(
        channel=CHANNEL, msg_id=f"{endpoint.id}:{message.id}",
        chat_id=f"{endpoint.id}:single:{message.source}",
        sender=Sender("mp_openid", message.source, endpoint.receive_id), text=message.content,
        created_at=created, chat_type="single", endpoint_id=endpoint.id)
    outcome = receive(inbound, now=now)
    if not outcome.answer:
        return b"success", "text/plain"
    reply = TextReply(message=message, content=outcome.answer).render()
    if crypto is not None:
        reply = crypto.encrypt_message(reply, nonce, timestamp)
    return reply.encode(), "application/xml"
