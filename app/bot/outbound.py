"""The outbound queue: group notices, smart-bot response_urls and WeCom app messages.

``fan_out_notifications`` turns the outbox's ``channel="group"`` rows (written by every
feature with ``group_key`` ``group:<id>`` for one bound group, or ``<level>:<region id>`` such
as ``village:12`` for every bound group under that node) into one ``BotOutbound`` row per group
and piece of text. ``send_due`` delivers them through an injected :class:`WeComSender`.

Order and throttle: rows of one lane are delivered strictly in id order, one at a time; a
``robot:<id>`` lane also takes a slot of the robot's persisted sliding window before each send
(20 a minute, see ``throttle``), with a conditional update on the robot's version so several
processes share the limit. Nothing is dropped for being throttled: it waits. WeCom's errors
come back as ``{"errcode": …, "errmsg": …}``; 45009 (frequency limit) pauses the robot for a
minute, transient ones back off exponentially, a broken webhook key pauses the robot for an
hour (staff see ``last_error``), content WeCom will never accept fails that row only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Protocol

from app.bot import config, throttle
from app.bot.models import BotEndpoint, BotGroup, BotOutbound, BotRobot
from app.clock import utcnow
from app.db import database
from app.notifications.models import Notification
from app.regions import services as regions
from app.regions.models import Region

log = logging.getLogger("linli.bot.outbound")

LEASE = dt.timedelta(seconds=60)
FREQ_LIMITED = 45009
RETRYABLE = {-1, FREQ_LIMITED, 42001, 40014, 45033}
BROKEN_KEY = {93000, 93004, 40001}
PER_LANE = 20
_GROUP_PAGE = 500


class WeComSender(Protocol):
    """Delivers to WeCom; returns WeCom's JSON answer; raises on network or HTTP failure."""

    def robot_send(self, webhook_key: str, text: str) -> dict: ...

    def response_url_send(self, url: str, text: str) -> dict: ...

    def app_send(self, corp_id: str, secret: str, agent_id: str, touser: str,
                 text: str) -> dict: ...


# -- enqueueing ---------------------------------------------------------------------------------

def _insert(*, lane: str, kind: str, text: str, dedupe_key: str, now: dt.datetime,
            **fields) -> int:
    """Queue ``text`` (split to WeCom's size) on ``lane``; returns how many rows are new."""
    new = 0
    for index, piece in enumerate(throttle.split_utf8(text)):
        key = dedupe_key if index == 0 else f"{dedupe_key}:{index}"
        new += (BotOutbound.insert(lane=lane, kind=kind, text=piece, dedupe_key=key[:191],
                                   next_attempt_at=now, created_at=now, **fields)
                .on_conflict_ignore().execute()) and 1 or 0
    return new


def remember_response_url(channel: str, chat_id: str, url: str, expires_at: dt.datetime) -> None:
    """Keep a chat's latest smart-bot response_url (encrypted) for one later notice."""
    with database.atomic():
        (BotGroup.update(response_url_cipher=config.seal(url), response_url_expires_at=expires_at)
         .where((BotGroup.channel == channel) & (BotGroup.chat_id == chat_id)
                & (BotGroup.status == "active")).execute())


def enqueue_group_text(group: BotGroup, text: str, dedupe_key: str,
                       now: dt.datetime | None = None) -> bool:
    """Queue a message to one bound group by its robot, else its fresh response_url (used once).
    Inside the caller's transaction. Returns False when the group has no route."""
    now = now or utcnow()
    if group.robot_id is not None and BotRobot.select().where(
            (BotRobot.id == group.robot_id) & BotRobot.active).exists():
        _insert(lane=f"robot:{group.robot_id}", kind="robot", robot=group.robot_id,
                group=group.id, text=text, dedupe_key=dedupe_key, now=now)
        return True
    if group.response_url_cipher and (group.response_url_expires_at or now) > now:
        taken = (BotGroup.update(response_url_cipher=None, response_url_expires_at=None)
                 .where((BotGroup.id == group.id)
                        & (BotGroup.response_url_cipher == group.response_url_cipher))
                 .execute())
        if taken:
            _insert(lane="response_url", kind="response_url", group=group.id,
                    target_cipher=group.response_url_cipher, text=text,
                    expires_at=group.response_url_expires_at, dedupe_key=dedupe_key, now=now)
            return True
    return False


def enqueue_app_message(endpoint_id: int, touser: str, text: str, dedupe_key: str,
                        now: dt.datetime | None = None) -> None:
    """Queue a WeCom app message to one member (``touser`` is kept encrypted)."""
    now = now or utcnow()
    with database.atomic():
        _insert(lane=f"app:{endpoint_id}", kind="wecom_app", endpoint=endpoint_id,
                target_cipher=config.seal(touser), text=text, dedupe_key=dedupe_key, now=now)


# -- fan-out of the notification outbox ---------------------------------------------------------

def _groups_for(group_key: str):
    """Active groups a ``group_key`` names, in pages (never the whole table at once)."""
    kind, _, raw_id = group_key.partition(":")
    if not raw_id.isdigit():
        return
    if kind == "group":
        group = BotGroup.get_or_none((BotGroup.id == int(raw_id))
                                     & (BotGroup.status == "active"))
        if group is not None:
            yield group
        return
    region = Region.get_or_none(Region.id == int(raw_id))
    if region is None:
        return
    after = 0
    while True:
        page = list(BotGroup.select().where(
            regions.in_subtree(BotGroup.region_path, region.path)
            & (BotGroup.status == "active") & (BotGroup.id > after))
            .order_by(BotGroup.id).limit(_GROUP_PAGE))
        yield from page
        if len(page) < _GROUP_PAGE:
            return
        after = page[-1].id


def _notice_text(row: Notification) -> str:
    return f"【{row.title}】\n{row.body}" if row.body else row.title


def fan_out_notifications(now: dt.datetime | None = None, batch: int = 100) -> Counter:
    """Turn due group notices of the outbox into queued messages, each notice once."""
    now = now or utcnow()
    counts: Counter[str] = Counter()
    due = (Notification.select(Notification.id)
           .where((Notification.status == "pending") & (Notification.next_attempt_at <= now)
                  & (Notification.channel == "group"))
           .order_by(Notification.next_attempt_at, Notification.id).limit(batch).tuples())
    for (row_id,) in list(due):
        with database.atomic():
            claimed = (Notification.update(status="sending", attempts=Notification.attempts + 1)
                       .where((Notification.id == row_id) & (Notification.status == "pending"))
                       .execute())
            if not claimed:
                continue
            row = Notification.get_by_id(row_id)
            routed = sum(enqueue_group_text(g, _notice_text(row),
                                            f"notice:{row.id}:group:{g.id}", now)
                         for g in _groups_for(row.group_key or ""))
            status, error = ("sent", None) if routed else ("failed", "bot.no_route")
            Notification.update(status=status, sent_at=now if routed else None,
                                last_error=error, next_attempt_at=None).where(
                Notification.id == row.id).execute()
            counts["fanned_out" if routed else "no_route"] += 1
    return counts


# -- delivery -----------------------------------------------------------------------------------

def _due_lanes(now: dt.datetime, limit: int = 200) -> list[str]:
    return [lane for (lane,) in BotOutbound.select(BotOutbound.lane).where(
        BotOutbound.status.in_(("pending", "sending")) & (BotOutbound.next_attempt_at <= now))
        .distinct().limit(limit).tuples()]


def _head(lane: str) -> BotOutbound | None:
    return (BotOutbound.select().where((BotOutbound.lane == lane)
                                       & BotOutbound.status.in_(("pending", "sending")))
            .order_by(BotOutbound.id).first())


def _take_slot(robot_id: int, now: dt.datetime) -> bool:
    robot = BotRobot.get_or_none(BotRobot.id == robot_id)
    if robot is None or not robot.active:
        return False
    if robot.blocked_until is not None and robot.blocked_until > now:
        return False
    window = throttle.take(robot.window or [], now)
    if window is None:
        return False
    return bool(BotRobot.update(window=window, version=BotRobot.version + 1)
                .where((BotRobot.id == robot.id) & (BotRobot.version == robot.version))
                .execute())


def _claim(row: BotOutbound, now: dt.datetime) -> bool:
    return bool(BotOutbound.update(status="sending", attempts=BotOutbound.attempts + 1,
                                   lease_until=now + LEASE, next_attempt_at=now + LEASE)
                .where((BotOutbound.id == row.id) & (BotOutbound.attempts == row.attempts)
                       & BotOutbound.status.in_(("pending", "sending")))
                .execute())


def _finish(row: BotOutbound, status: str, **fields) -> None:
    (BotOutbound.update(status=status, lease_until=None, **fields)
     .where((BotOutbound.id == row.id) & (BotOutbound.attempts == row.attempts + 1))
     .execute())


def _deliver(row: BotOutbound, sender: WeComSender) -> dict:
    if row.kind == "robot":
        robot = BotRobot.get_by_id(row.robot_id)
        return sender.robot_send(config.unseal(robot.webhook_key_cipher), row.text)
    if row.kind == "response_url":
        return sender.response_url_send(config.unseal(row.target_cipher), row.text)
    endpoint = BotEndpoint.get_by_id(row.endpoint_id)
    secret = config.secrets_of(endpoint).secret or ""
    return sender.app_send(endpoint.receive_id, secret, endpoint.agent_id,
                           config.unseal(row.target_cipher), row.text)


def _send_one(row: BotOutbound, sender: WeComSender, now: dt.datetime) -> str:
    if row.expires_at is not None and row.expires_at <= now:
        _finish(row, "failed", last_error="bot.expired", next_attempt_at=None)
        return "expired"
    try:
        answer = _deliver(row, sender)
        errcode = int(answer.get("errcode", 0)) if isinstance(answer, dict) else -1
    except Exception as exc:  # network, HTTP status, bad JSON: retry later
        log.warning("outbound %s: %s", row.id, type(exc).__name__)
        errcode = None
    if errcode == 0:
        _finish(row, "sent", sent_at=now, last_error=None, next_attempt_at=None)
        return "sent"
    code = f"wecom.{errcode}" if errcode is not None else "bot.transport_error"
    if errcode == FREQ_LIMITED and row.robot_id:
        BotRobot.update(blocked_until=now + dt.timedelta(minutes=1)).where(
            BotRobot.id == row.robot_id).execute()
    if errcode in BROKEN_KEY and row.robot_id:
        BotRobot.update(blocked_until=now + dt.timedelta(hours=1), last_error=code).where(
            BotRobot.id == row.robot_id).execute()
    if errcode is None or errcode in RETRYABLE or errcode in BROKEN_KEY:
        wait = (dt.timedelta(minutes=1) if errcode == FREQ_LIMITED
                else throttle.backoff(row.attempts + 1))
        _finish(row, "pending", last_error=code, next_attempt_at=now + wait)
        return "retry"
    _finish(row, "failed", last_error=code, next_attempt_at=None)
    return "failed"


def _run_lane(lane: str, sender: WeComSender, clock, counts: Counter) -> None:
    for _ in range(PER_LANE):
        now = clock()
        row = _head(lane)
        if row is None or row.next_attempt_at is None or row.next_attempt_at > now:
            return  # empty, or the head waits (in flight elsewhere, or backing off)
        if row.robot_id is not None and not _take_slot(row.robot_id, now):
            counts["throttled"] += 1
            return
        if not _claim(row, now):
            return
        counts[_send_one(row, sender, now)] += 1


def send_due(sender: WeComSender, *, now: dt.datetime | None = None) -> dict:
    """Deliver due outbound messages, lane by lane, in order and within each robot's limit.

    Called by the ``bot.deliver`` job with the real sender; idempotent and safe to run in
    several processes. Changes: ``BotOutbound`` delivery fields, ``BotRobot`` windows.
    """
    clock = (lambda: now) if now is not None else utcnow
    counts: Counter[str] = Counter()
    for lane in _due_lanes(clock()):
        _run_lane(lane, sender, clock, counts)
    return dict(counts)
