"""A recording replier and a chat driver for dialog tests: messages in, answers recorded."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.clock import utcnow

_ids = itertools.count(1)


class RecordingReplier:
    """Collects what the bot says, in order."""

    def __init__(self):
        self.texts: list[str] = []

    def reply(self, text: str) -> None:
        self.texts.append(text)


@dataclass
class Chat:
    """One chat of one channel; ``send`` delivers a message and returns the bot's answer."""

    chat_id: str = "wecom:chat-1"
    channel: str = "wecom_bot"
    chat_type: str = "group"
    replier: RecordingReplier = field(default_factory=RecordingReplier)

    def message(self, sender: str, text: str, *, mentioned: bool = False,
                msg_id: str | None = None, at: dt.datetime | None = None) -> InboundMessage:
        return InboundMessage(
            channel=self.channel, msg_id=msg_id or f"m{next(_ids)}", chat_id=self.chat_id,
            sender=Sender("wecom_user", sender, "corp-test"), text=text,
            created_at=at or utcnow(), chat_type=self.chat_type, mentioned=mentioned)

    def send(self, sender: str, text: str, **kwargs) -> str | None:
        before = len(self.replier.texts)
        receive(self.message(sender, text, **kwargs), self.replier, now=kwargs.get("at"))
        said = self.replier.texts[before:]
        return said[-1] if said else None
