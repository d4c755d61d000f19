"""The one neutral message type between the channel adapters (``bot/``) and the dialog.

Adapters verify, decrypt and normalise what WeChat sends into an :class:`InboundMessage`; the
dialog never sees XML, JSON envelopes or signatures. ``msg_id`` and ``chat_id`` are already
namespaced by the endpoint they came through, so ids of two corps or bridges never collide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

CHANNELS = ("wecom_bot", "wecom_app", "official_account", "wecom_archive", "relay")
SENDER_KINDS = ("wecom_user", "wecom_external", "mp_openid", "bridge_user")


@dataclass(frozen=True)
class Sender:
    """Who sent it: ``kind`` of id and the opaque id, unique within ``scope`` (a corp id, an
    appid or an endpoint). ``name`` is whatever the channel shows (relays only; never stored)."""

    kind: str
    id: str
    scope: str
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.scope}:{self.id}"


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    msg_id: str
    chat_id: str
    sender: Sender
    text: str
    created_at: dt.datetime
    chat_type: str = "group"  # group | single
    mentioned: bool = False  # the bot was @-mentioned (the mention is stripped from text)
    endpoint_id: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


class Replier(Protocol):
    """Where the answer to one message goes (a passive reply, a response_url, a test record)."""

    def reply(self, text: str) -> None: ...
