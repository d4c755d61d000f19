"""WeCom smart bot (企业微信智能机器人) callbacks: JSON ``{"encrypt": …}``, receive id "".

GET verifies the URL (``msg_signature``/``timestamp``/``nonce``/``echostr`` → the decrypted
echo in plain text). POST carries one encrypted JSON message (msgid, aibotid, chatid,
chattype, from.userid, msgtype, text.content, response_url); the answer is an encrypted JSON
``stream`` reply with ``finish: true``, or an empty body when the bot stays silent. In groups
the bot only receives messages that @-mention it, so group messages count as addressed. The
message's ``response_url`` is kept (encrypted, one hour) for a later notice to that chat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from app.bot.config import EndpointSecrets
from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BotEndpoint
from app.bot.outbound import remember_response_url
from bot.adapters.common import epoch, required_str, strip_mentions
from bot.crypto import JsonCrypt, check_timestamp

CHANNEL = "wecom_bot"
RESPONSE_URL_TTL = dt.timedelta(hours=1)


def _crypt(secrets: EndpointSecrets) -> JsonCrypt:
    return JsonCrypt(secrets.token or "", secrets.encoding_aes_key or "", "")


def verify(endpoint: BotEndpoint, secrets: EndpointSecrets, args, now: dt.datetime) -> str:
    timestamp = args.get("timestamp", "")
    check_timestamp(timestamp, epoch(now))
    return _crypt(secrets).verify_url(args.get("msg_signature"), timestamp,
                                      args.get("nonce", ""), args.get("echostr"))


def to_inbound(endpoint: BotEndpoint, message: dict, now: dt.datetime) -> InboundMessage | None:
    """The neutral message, or None for what the dialog does not read (events, images…)."""
    msgid = required_str(message, "msgid", max_len=128)
    msgtype = required_str(message, "msgtype", max_len=32)
    userid = required_str(message, "from", "userid", max_len=128)
    if msgtype != "text":
        return None
    content = required_str(message, "text", "content")
    chat_type = "group" if message.get("chattype") == "group" else "single"
    if chat_type == "group":
        chat = required_str(message, "chatid", max_len=128)
        text, _ = strip_mentions(content)
    else:
        chat, text = f"single:{userid}", content.strip()
    return InboundMessage(
        channel=CHANNEL, msg_id=f"{endpoint.id}:{msgid}", chat_id=f"{endpoint.id}:{chat}",
        sender=Sender("wecom_user", userid, endpoint.receive_id or f"e{endpoint.id}"),
        text=text, created_at=now, chat_type=chat_type, mentioned=chat_type == "group",
        endpoint_id=endpoint.id, raw=message)


def stream_id(msg_id: str) -> str:
    """The same stream id for every retry of one message."""
    return hashlib.sha1(msg_id.encode()).hexdigest()[:20]


def callback(endpoint: BotEndpoint, secrets: EndpointSecrets, args, body: bytes,
             now: dt.datetime) -> tuple[bytes, str]:
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    check_timestamp(timestamp, epoch(now))
    crypt = _crypt(secrets)
    message = crypt.decrypt_body(body, args.get("msg_signature"), timestamp, nonce)
    inbound = to_inbound(endpoint, message, now)
    if inbound is None:
        return b"", "text/plain"
    outcome = receive(inbound, now=now)
    response_url = message.get("response_url")
    if inbound.chat_type == "group" and isinstance(response_url, str) and response_url:
        remember_response_url(CHANNEL, inbound.chat_id, response_url, now + RESPONSE_URL_TTL)
    if not outcome.answer:
        return b"", "text/plain"
    reply = {"msgtype": "stream", "stream": {"id": stream_id(inbound.msg_id), "finish": True,
                                             "content": outcome.answer}}
    sealed = crypt.encrypt_reply(reply, nonce, timestamp)
    return json.dumps(sealed, ensure_ascii=False).encode(), "application/json"

