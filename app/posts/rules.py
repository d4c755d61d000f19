"""Pure rules of posts: kinds, the state machine and the feed cursor. No database.

``next_state`` is the single gate of every status change: an action not allowed from the
current state raises ``post.illegal_transition`` with both named, before anything is written.

The residents' feed is ordered pinned first, then newest published, then newest id; its
cursor carries all three keys of the last row (``encode_cursor``), so the next page continues
strictly after it even when many posts share a publication time.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

KINDS = ("policy", "news", "notice", "service_guide")
KIND_NAMES = {"policy": "政策", "news": "新闻", "notice": "通知公告", "service_guide": "办事指南"}
# Kinds a grid worker may publish for their grid: practical notices and guides. Policy and
# news speak for the village committee or the town, so they need a cadre or a town admin.
NOTICE_KINDS = frozenset({"notice", "service_guide"})

STATES = ("draft", "published", "withdrawn")
STATE_NAMES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}

TITLE_MAX = 100
BODY_MAX = 20_000
MAX_PHOTOS = 9
REASON_MAX = 500


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change


TRANSITIONS: dict[str, Transition] = {
    "update": Transition(frozenset({"draft"}), None),
    "schedule": Transition(frozenset({"draft"}), None),
    "unschedule": Transition(frozenset({"draft"}), None),
    "publish": Transition(frozenset({"draft"}), "published"),
    "publish_scheduled": Transition(frozenset({"draft"}), "published"),
    "pin": Transition(frozenset({"draft", "published"}), None),
    "withdraw": Transition(frozenset({"draft", "published"}), "withdrawn"),
}


def next_state(current: str, action: str) -> str:
    """The status after ``action`` from ``current``; raises post.illegal_transition."""
    transition = TRANSITIONS.get(action)
    if transition is None or current not in transition.sources:
        raise Conflict("post.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return transition.target or current


def allowed_actions(current: str, *, scheduled: bool = False) -> list[str]:
    """What staff may do next (the job's own move and a pointless unschedule left out)."""
    return [name for name, t in TRANSITIONS.items()
            if current in t.sources and name != "publish_scheduled"
            and (scheduled or name != "unschedule")]


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("post.bad_kind", "请选择政策、新闻、通知公告或办事指南")
    return kind


def check_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput("post.bad_title", f"标题不能为空，且不超过 {TITLE_MAX} 个字")
    if not body or len(body) > BODY_MAX:
        raise InvalidInput("post.bad_body", f"正文不能为空，且不超过 {BODY_MAX} 个字")
    return title, body


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("post.reason_required", "请说明撤回的理由")
    if len(reason) > REASON_MAX:
        raise InvalidInput("post.reason_too_long", f"理由不超过 {REASON_MAX} 个字")
    return reason


def check_schedule(publish_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    if publish_at <= now:
        raise InvalidInput("post.schedule_in_past", "定时发布的时间须晚于现在")
    return publish_at


# -- the feed cursor ----------------------------------------------------------------------------

_CURSOR_PREFIX = "p1"
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class FeedKey:
    """The sort key of one feed row: pinned first, then newest published, then newest id."""

    pinned: bool
    published_at: dt.datetime
    id: int

    def sort_key(self) -> tuple:
        """Ascending order of this tuple is the feed order."""
        return (not self.pinned, -(self.published_at - _EPOCH), -self.id)


def encode_cursor(key: FeedKey) -> str:
    raw = (f"{_CURSOR_PREFIX}|{int(key.pinned)}|"
           f"{key.published_at.isoformat(timespec='microseconds')}|{key.id}")
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> FeedKey | None:
    """The key a cursor carries; raises pagination.bad_cursor for anything malformed."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, pinned, published_at, post_id = raw.split("|")
        if prefix != _CURSOR_PREFIX or pinned not in ("0", "1"):
            raise ValueError(prefix)
        when = dt.datetime.fromisoformat(published_at)
        if when.tzinfo is not None:
            raise ValueError(published_at)
        return FeedKey(pinned == "1", when, int(post_id))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("pagination.bad_cursor", "翻页参数无效，请从第一页重新加载") from exc
