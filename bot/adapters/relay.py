"""The signed relay webhook: a community's own bridge forwards group messages.

``POST /bot/relay`` with headers ``X-Linli-Bridge`` (the endpoint id), ``X-Linli-Timestamp``
(Unix seconds, within 5 minutes) and ``X-Linli-Signature`` (hex HMAC-SHA256 with the bridge's
secret over ``timestamp + "\\n" + body``). Body JSON: ``msg_id``, ``chat_id``, ``sender``
(``{"id", "kind"}``, kind ``wecom_external`` / ``wecom_user`` / ``bridge_user``), ``text``,
optional ``chat_type`` (group | single) and ``mentioned``. The answer comes back in the
response (``{"ok": true, "data": {"reply": …, "outcome": …}}``) for the bridge to post.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from app.bot.config import EndpointSecrets
from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BotEndpoint
from bot.adapters.common import epoch, required_str
from bot.crypto import CallbackRefused, check_timestamp

CHANNEL = "relay"
SENDER_KINDS = ("wecom_external", "wecom_user", "bridge_user")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body,
                    hashlib.sha256).hexdigest()


def verify_request(secrets: EndpointSecrets, headers, body: bytes, now: dt.datetime) -> None:
    timestamp = headers.get("X-Linli-Timestamp", "")
    check_timestamp(timestamp, epoch(now))
    given = (headers.get("X-Linli-Signature") or "").lower()
    expected = signature(secrets.secret or "", timestamp, body)
    # Bytes, not str: compare_digest raises TypeError on a non-ASCII str (a forged header).
    if not secrets.secret or not hmac.compare_digest(expected.encode(),
                                                     given.encode("utf-8", "replace")):
        raise CallbackRefused(403, "bot.bad_signature")


def to_inbound(endpoint: BotEndpoint, body: bytes, now: dt.datetime) -> InboundMessage:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise CallbackRefused(400, "bot.malformed") from exc
    if not isinstance(data, dict):
        raise CallbackRefused(400, "bot.malformed")
    sender = data.get("sender")
    kind = sender.get("kind", "bridge_user") if isinstance(sender, dict) else None
    chat_type = data.get("chat_type", "group")
    mentioned = data.get("mentioned", False)
    if kind not in SENDER_KINDS or chat_type not in ("group", "single") \
            or not isinstance(mentioned, bool):
        raise CallbackRefused(400, "bot.malformed")
    msg_id = required_str(data, "msg_id", max_len=128)
    chat_id = required_str(data, "chat_id", max_len=128)
    sender_id = required_str(data, "sender", "id", max_len=128)
    text = required_str(data, "text")
    return InboundMessage(
        channel=CHANNEL, msg_id=f"{endpoint.id}:{msg_id}", chat_id=f"{endpoint.id}:{chat_id}",
        sender=Sender(kind, sender_id, f"e{endpoint.id}"), text=text.strip(), created_at=now,
        chat_type=chat_type, mentioned=mentioned, endpoint_id=endpoint.id)


def callback(endpoint: BotEndpoint, secrets: EndpointSecrets, headers, body: bytes,
             now: dt.datetime) -> dict:
    verify_request(secrets, headers, body, now)
    outcome = receive(to_inbound(endpoint, body, now), now=now)
    return {"ok": True, "data": {"reply": outcome.answer, "outcome": outcome.outcome}}
