"""Notification services: write a notice to the outbox, record subscriptions, read the inbox.

Features call :func:`enqueue` inside their own transaction, so a notice exists exactly when the
change that causes it was committed; the ``notifications.send`` scheduler job delivers it later
(see :mod:`app.notifications.jobs`). The recipient reads every notice in the in-app inbox
whatever happened to its WeChat reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound, Unauthorized
from app.notifications import rules, templates
from app.notifications.models import CHANNELS, Notification, SubscriptionQuota
from app.policy import Actor

MAX_INBOX_LIMIT = 100
_TITLE_MAX = 100


def enqueue(*, channel: str, kind: str, dedupe_key: str, title: str, body: str = "",
            recipient_user_id: int | None = None, group_key: str | None = None,
            template_key: str | None = None, data: dict[str, str] | None = None,
            page: str | None = None, now: dt.datetime | None = None) -> Notification:
    """Write one notice to the outbox, inside the caller's transaction, and return its row.

    Called by other features' services (never by edges), within their ``database.atomic()``;
    it neither opens nor commits a transaction. Idempotent on ``dedupe_key``: a retried
    service call gets the row written the first time, unchanged.

    ``channel``: ``subscribe`` (a WeChat subscribe message to ``recipient_user_id`` using
    ``template_key`` and ``data``, and an inbox item), ``staff`` (a staff user's inbox; WeCom
    later), ``group`` (to the bot-bound group ``group_key``, delivered by the bot feature) or
    ``in_app`` (the inbox only: delivered on write). ``title`` and ``body`` are the Chinese inbox
    text; ``page`` is a page path that must carry ids only, never personal data.

    Raises ValueError for a malformed notice (a programming error, not user input).
    """
    _check(channel, recipient_user_id, group_key, template_key, data)
    now = now or utcnow()
    if len(title) > _TITLE_MAX:
        title = title[:_TITLE_MAX - 1] + templates.ELLIPSIS
    delivered = channel == "in_app"
    (Notification.insert(
        channel=channel, recipient_user=recipient_user_id, group_key=group_key, kind=kind,
        title=title, body=body, template_key=template_key,
        data=dict(data) if data is not None else None, page=page, dedupe_key=dedupe_key,
        status="sent" if delivered else "pending",
        next_attempt_at=None if delivered else now,
        sent_at=now if delivered else None, created_at=now)
     .on_conflict_ignore().execute())
    return Notification.get(Notification.dedupe_key == dedupe_key)


def _check(channel, recipient_user_id, group_key, template_key, data) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    if channel == "group":
        if not group_key:
            raise ValueError("a group notice needs group_key")
    elif recipient_user_id is None:
        raise ValueError(f"a {channel} notice needs recipient_user_id")
    if channel != "subscribe":
        return
    template = templates.get_template(template_key or "")
    if template is None:
        raise ValueError(f"unknown subscribe template {template_key!r}")
    if set(data or {}) != set(template.kinds):
        raise ValueError(f"template {template_key!r} needs fields {sorted(template.kinds)}")


@dataclass(frozen=True)
class Quota:
    template_key: str
    title: str
    remaining: int


def record_subscriptions(actor: Actor | None, accepted_template_keys: Iterable[str], *,
                         now: dt.datetime | None = None) -> list[Quota]:
    """Count the templates the caller accepted in ``wx.requestSubscribeMessage``.

    Any logged-in user, for themselves. Each accepted template allows one more subscribe
    message (WeChat's one-time subscription); a key repeated in one report counts once.
    Returns the caller's quota for every template. Raises Unauthorized, and InvalidInput
    ``notification.unknown_template`` for a key we do not use (nothing is recorded then).
    Changes: ``SubscriptionQuota`` rows of the caller.
    """
    if actor is None:
        raise Unauthorized()
    keys = list(dict.fromkeys(accepted_template_keys))
    unknown = [k for k in keys if templates.get_template(k) is None]
    if unknown:
        raise InvalidInput("notification.unknown_template", "订阅的消息模板不存在",
                           details={"template_keys": unknown})
    now = now or utcnow()
    with database.atomic():
        for key in keys:
            (SubscriptionQuota.insert(user=actor.user_id, template_key=key, remaining=1,
                                      updated_at=now)
             .on_conflict(conflict_target=[SubscriptionQuota.user, SubscriptionQuota.template_key],
                          update={SubscriptionQuota.remaining: SubscriptionQuota.remaining + 1,
                                  SubscriptionQuota.updated_at: now})
             .execute())
    return list_quotas(actor)


def list_quotas(actor: Actor | None) -> list[Quota]:
    """The caller's remaining subscribe messages per template (0 where never accepted)."""
    if actor is None:
        raise Unauthorized()
    counts = dict(SubscriptionQuota.select(SubscriptionQuota.template_key,
                                           SubscriptionQuota.remaining)
                  .where(SubscriptionQuota.user == actor.user_id).tuples())
    return [Quota(t.key, t.title, counts.get(t.key, 0)) for t in templates.TEMPLATES.values()]


@dataclass(frozen=True)
class InboxItem:
    id: int
    kind: str
    title: str
    body: str
    page: str | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    delivery: str
    delivery_note: str | None


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    next_cursor: int | None


def _item(row: Notification) -> InboxItem:
    code, note = rules.delivery(row.channel, row.status)
    return InboxItem(row.id, row.kind, row.title, row.body, row.page, row.created_at,
                     row.read_at, code, note)


def list_inbox(actor: Actor | None, cursor: int | None = None, limit: int = 20) -> Inbox:
    """The caller's notices, newest first: every one, whatever its WeChat delivery did.

    Any logged-in user, their own notices only. ``cursor`` is the last id of the previous page.
    Raises Unauthorized; InvalidInput ``notification.bad_limit``. Changes nothing.
    """
    if actor is None:
        raise Unauthorized()
    if not 1 <= limit <= MAX_INBOX_LIMIT:
        raise InvalidInput("notification.bad_limit", f"每页条数应在 1 到 {MAX_INBOX_LIMIT} 之间")
    query = Notification.select().where(Notification.recipient_user == actor.user_id)
    if cursor is not None:
        query = query.where(Notification.id < cursor)
    rows = list(query.order_by(Notification.id.desc()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return Inbox([_item(r) for r in rows], rows[-1].id if more and rows else None)


def mark_read(actor: Actor | None, notification_id: int, *,
              now: dt.datetime | None = None) -> InboxItem:
    """Mark one of the caller's notices read (again is harmless) and return it.

    Any logged-in user, their own notices only: another user's notice is ``notification.
    not_found`` (404), so ids reveal nothing. Raises Unauthorized, NotFound.
    Changes: ``Notification.read_at``.
    """
    if actor is None:
        raise Unauthorized()
    mine = (Notification.id == notification_id) & (Notification.recipient_user == actor.user_id)
    with database.atomic():
        (Notification.update(read_at=now or utcnow())
         .where(mine & Notification.read_at.is_null()).execute())
        row = Notification.get_or_none(mine)
    if row is None:
        raise NotFound("notification.not_found", "找不到这条通知")
    return _item(row)
