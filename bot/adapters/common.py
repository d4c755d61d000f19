"""What every adapter shares: the clock as epoch seconds, mention stripping, field checks."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from app.clock import utcnow
from bot.crypto import CallbackRefused

_MENTION = re.compile(r"^\s*(?:@\S+\s+)+")


def epoch(value: dt.datetime | None = None) -> int:
    return calendar.timegm((value or utcnow()).timetuple())


def from_epoch(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def strip_mentions(text: str) -> tuple[str, bool]:
    """``"@社区助手 楼道灯坏了"`` → ``("楼道灯坏了", True)``."""
    stripped = _MENTION.sub("", text or "", count=1)
    return stripped.strip(), stripped != (text or "")


def required_str(data: dict, *path: str, max_len: int = 4000) -> str:
    """``data[path…]`` as a non-empty string, else 400 (nothing is stored for it)."""
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise CallbackRefused(400, "bot.malformed")
    return value
