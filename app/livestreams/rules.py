"""Pure rules of livestreams: matter types, the link, the timing of announcements.

A livestream is announced to the village's groups when it is scheduled, which must be at least
``MIN_LEAD`` before it starts, and reminded once ``REMIND_BEFORE`` ahead (unless the
announcement itself was that recent). Its minutes and result may be recorded only once it has
started.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from app.errors import Conflict, InvalidInput

MATTER_TYPES = {"asset_lease": "集体资产租赁", "tender": "招投标", "small_works": "小型工程发包"}
STATES = ("scheduled", "held", "cancelled")
STATE_NAMES = {"scheduled": "待直播", "held": "已直播", "cancelled": "已取消"}
MIN_LEAD = dt.timedelta(minutes=30)
REMIND_BEFORE = dt.timedelta(minutes=30)
TITLE_MAX, LINK_MAX, TEXT_MAX = 100, 500, 5_000
TRANSITIONS = {"cancel": ({"scheduled"}, "cancelled"), "hold": ({"scheduled"}, "held")}


def next_state(current: str, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise Conflict("livestream.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return target


def check_link(link: str) -> str:
    """An https address of the live room (WeChat Channels, a platform page …)."""
    link = (link or "").strip()
    parsed = urlparse(link)
    if len(link) > LINK_MAX or parsed.scheme != "https" or not parsed.hostname:
        raise InvalidInput("livestream.bad_link", "请填写以 https:// 开头的直播地址")
    return link


def check_schedule(starts_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    if starts_at < now + MIN_LEAD:
        raise InvalidInput("livestream.too_soon",
                           f"直播须至少提前 {int(MIN_LEAD.total_seconds() // 60)} 分钟预告")
    return starts_at


def due_for_reminder(starts_at: dt.datetime, announced_at: dt.datetime | None,
                     now: dt.datetime) -> bool:
    """Remind now? Inside the reminder window, and the announcement is older than it."""
    window = starts_at - REMIND_BEFORE
    return window <= now < starts_at and (announced_at is None or announced_at < window)


def check_text(value: str, code: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise InvalidInput(code, f"不能为空，且不超过 {limit} 个字")
    return value
