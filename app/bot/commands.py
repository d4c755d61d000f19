"""Recognising commands and request markers in a message. Pure: no database.

``parse(text)`` returns a :class:`Command` whose ``name`` is one of ``bind``, ``query``,
``mine``, ``help``, ``forward``, ``unbind``, ``confirm``, ``marker``, ``unknown`` (a message
that looks like a command but is none: it gets help, not silence) or ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.bot.classifier import normalize
from app.bot.lexicon import MARKERS

_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}
MAX_FORWARD = 20
_FORWARD = re.compile(r"^以上\s*(\d{1,2}|[一二两三四五六七八九十]{1,2})\s*条\s*转\s*诉求$")
_QUERY = re.compile(r"^查询\s*([A-Za-z]?\d{8}-\d{1,6})?$")
_BIND = re.compile(r"^绑定\s*([A-Za-z0-9]{4,16})?$")


@dataclass(frozen=True)
class Command:
    name: str
    arg: str = ""
    count: int = 0
    request_type: str | None = None
    body: str = ""


def _number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if len(raw) == 2 and raw[0] == "十":
        return 10 + _NUMERALS.get(raw[1], 0)
    if len(raw) == 2 and raw[1] == "十":
        return _NUMERALS.get(raw[0], 0) * 10
    return _NUMERALS.get(raw, 0)


def parse(text: str) -> Command:
    raw = " ".join((text or "").split())
    flat = normalize(raw)
    if (m := _BIND.match(flat)) is not None:
        return Command("bind", arg=(m.group(1) or "").upper())
    if (m := _QUERY.match(flat)) is not None:
        return Command("query", arg=(m.group(1) or "").upper())
    if flat in ("我的诉求", "我的工单"):
        return Command("mine")
    if flat in ("帮助", "help", "?", "？", "菜单"):
        return Command("help")
    if (m := _FORWARD.match(flat)) is not None:
        return Command("forward", count=_number(m.group(1)))
    if flat == "解绑":
        return Command("unbind")
    if flat == "1":
        return Command("confirm")
    for marker, request_type in MARKERS.items():
        if raw.startswith(marker):
            body = raw[len(marker):].lstrip(" :：，,、")
            return Command("marker", request_type=request_type, body=body)
    if flat.startswith(("/", "#")):
        return Command("unknown")
    return Command("text", body=raw)
