"""Pure delivery rules: retry backoff, when to give up, and what the inbox says about WeChat."""

from __future__ import annotations

import datetime as dt

MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=1)
LEASE = dt.timedelta(minutes=5)


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


# What the recipient sees in the inbox about the WeChat reminder of a subscribe notice.
DELIVERY = {
    "pending": ("wechat_pending", "微信提醒发送中"),
    "sending": ("wechat_pending", "微信提醒发送中"),
    "sent": ("wechat_sent", "已通过微信提醒"),
    "no_quota": ("wechat_not_subscribed",
                 "微信提醒未送达：您没有订阅这类消息提醒，可在小程序里开启订阅"),
    "failed": ("wechat_failed", "微信提醒未送达，请在这里查看"),
    "dead": ("wechat_failed", "微信提醒未送达，请在这里查看"),
}


def delivery(channel: str, status: str) -> tuple[str, str | None]:
    """(delivery code, Chinese note) shown beside an inbox item."""
    if channel != "subscribe":
        return "in_app", None
    return DELIVERY.get(status, ("wechat_pending", "微信提醒发送中"))
