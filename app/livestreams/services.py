"""Livestreams of major decisions: schedule (announced to the village's groups at once and
owed a disclosure "immediately" after), cancel, and record minutes and result as a disclosure.

Group messages go to the notification outbox with ``channel="group"`` and
``group_key="village:<village id>"``; the bot feature delivers them to every group bound to the
village (until it does, they wait in the outbox). Each message has a dedupe key, so it is
written once. Every write checks permission first, runs in one transaction and is audited.
"""

from __future__ import annotations

import datetime as dt

from app.audit.services import record
from app.calendar.rules import local_day
from app.clock import iso, utcnow
from app.db import database
from app.disclosures import cadence
from app.errors import Conflict, InvalidInput, NotFound, Unauthorized
from app.livestreams import policies, rules
from app.livestreams.models import Livestream
from app.notices.models import Notice
from app.notifications.services import enqueue
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.regions.models import Region
from app.supervision.places import get_village, narrow_scope, resident_places, scope_condition


def _not_found() -> NotFound:
    return NotFound("livestream.not_found", "找不到该直播")


def matter_key(livestream: Livestream) -> str:
    return f"livestream:{livestream.id}"


def local_minute(at: dt.datetime) -> str:
    """``2026-11-23 09:00`` in Asia/Shanghai, for group messages."""
    return iso(at)[:16].replace("T", " ")


def announce(livestream: Livestream, kind: str, title: str, body: str,
             now: dt.datetime) -> None:
    """One group message about the livestream, inside the caller's transaction."""
    enqueue(channel="group", group_key=f"village:{livestream.village_id}",
            kind=f"livestream.{kind}", title=title, body=body,
            page=f"pages/livestreams/detail?id={livestream.id}",
            dedupe_key=f"livestream:{livestream.id}:{kind}", now=now)


def _audit(actor: Actor, grant: Grant, action: str, livestream: Livestream, **summary) -> None:
    record(actor=actor, grant=grant, action=f"livestream.{action}", object_type="livestream",
           object_id=livestream.id, region_path=livestream.village_path,
           region_id=livestream.village_id, summary=summary)


def schedule_livestream(actor: Actor | None, *, village_id: int, matter_type: str, title: str,
                        link: str, starts_at: dt.datetime,
                        notice_id: int | None = None) -> Livestream:
    """Schedule a livestream of a major decision and announce it to the village's groups.

    Cadres and town admins in scope; ``starts_at`` (naive UTC) at least 30 minutes ahead.
    Registers the major-matter obligation: its result must be disclosed within the village's
    ``major_days`` after it starts. Raises region.not_found, livestream.bad_village, Forbidden,
    livestream.bad_matter_type / bad_title / bad_link / too_soon / bad_notice. Audits
    livestream.schedule.
    """
    village = get_village(village_id, "livestream.bad_village")
    grant = authorize(actor, policies.MANAGE, village.path)
    if matter_type not in rules.MATTER_TYPES:
        raise InvalidInput("livestream.bad_matter_type", "请选择资产租赁、招投标或小型工程")
    title = rules.check_text(title, "livestream.bad_title", rules.TITLE_MAX)
    link = rules.check_link(link)
    now = utcnow()
    rules.check_schedule(starts_at, now)
    if notice_id is not None:
        notice = Notice.get_or_none(Notice.id == notice_id)
        if notice is None or notice.village_id != village.id:
            raise InvalidInput("livestream.bad_notice", "请选择本村(社区)的事前公示")
    with database.atomic():
        livestream = Livestream.create(
            village=village.id, village_path=village.path, matter_type=matter_type,
            title=title, link=link, starts_at=starts_at, notice=notice_id, announced_at=now,
            created_by=actor.user_id, created_at=now, updated_at=now)
        announce(livestream, "announce", f"直播预告：{title}",
                 f"{rules.MATTER_TYPES[matter_type]}将于 {local_minute(starts_at)} 直播，"
                 f"观看地址：{link}", now)
        cadence.require_matter_disclosure(village.id, matter_key(livestream),
                                          happened_at=starts_at)
        _audit(actor, grant, "schedule", livestream, matter_type=matter_type)
    return livestream


def load_for_staff(actor: Actor | None, livestream_id: int) -> Livestream:
    require_any_scope(actor, policies.READ)
    livestream = Livestream.get_or_none(Livestream.id == livestream_id)
    if livestream is None or not can(actor, policies.READ, livestream.village_path):
        raise _not_found()
    return livestream


def _move(livestream: Livestream, action: str, changes: dict, now: dt.datetime) -> None:
    target = rules.next_state(livestream.status, action)
    values = dict(changes, status=target, updated_at=now, version=livestream.version + 1)
    won = (Livestream.update({getattr(Livestream, k): v for k, v in values.items()})
           .where((Livestream.id == livestream.id)
                  & (Livestream.version == livestream.version)).execute())
    if won != 1:
        raise Conflict("livestream.changed", "该直播刚被其他人处理过，请刷新后再试")
    for key, value in values.items():
        setattr(livestream, key, value)


def cancel_livestream(actor: Actor | None, livestream_id: int, *, reason: str) -> Livestream:
    """Cancel a scheduled livestream; the groups are told and its obligation is withdrawn.
    Cadres and town admins in scope. Raises livestream.not_found, Forbidden,
    livestream.bad_reason / illegal_transition / changed. Audits livestream.cancel."""
    livestream = load_for_staff(actor, livestream_id)
    grant = authorize(actor, policies.MANAGE, livestream.village_path)
    reason = rules.check_text(reason, "livestream.bad_reason", 200)
    now = utcnow()
    with database.atomic():
        _move(livestream, "cancel", {"cancel_reason": reason}, now)
        announce(livestream, "cancel", f"直播取消：{livestream.title}",
                 f"原定 {local_minute(livestream.starts_at)} 的直播取消：{reason}", now)
        cadence.waive_matter_disclosure(livestream.village_id, matter_key(livestream))
        _audit(actor, grant, "cancel", livestream)
    return livestream


def record_result(actor: Actor | None, livestream_id: int, *, minutes: str, result: str,
                  photo_ids: tuple[int, ...] = ()):
    """After the livestream: its minutes and result become a draft affairs disclosure
    (category 村民会议、村民代表会议决定事项, the matter key ``livestream:<id>``), which is
    reviewed and published like any other and meets the livestream's obligation.

    Cadres and town admins in scope; not before it starts (Conflict livestream.not_started).
    Raises also livestream.not_found, Forbidden, livestream.bad_minutes / bad_result /
    illegal_transition, and what ``create_disclosure`` raises. Returns the disclosure.
    Audits livestream.record_result.
    """
    from app.disclosures.services import create_disclosure

    livestream = load_for_staff(actor, livestream_id)
    grant = authorize(actor, policies.MANAGE, livestream.village_path)
    minutes = rules.check_text(minutes, "livestream.bad_minutes")
    result = rules.check_text(result, "livestream.bad_result")
    now = utcnow()
    if now < livestream.starts_at:
        raise Conflict("livestream.not_started", "直播尚未开始，不能登记结果")
    with database.atomic():
        _move(livestream, "hold", {}, now)
        disclosure = create_disclosure(
            actor, region_id=livestream.village_id, kind="affairs", category="decisions",
            title=f"{livestream.title}（直播决策结果）",
            body=f"决策结果：{result}\n\n会议纪要：{minutes}",
            period=local_day(livestream.starts_at).isoformat(), photo_ids=photo_ids,
            matter_key=matter_key(livestream),
            extra={"livestream": {"id": livestream.id, "matter_type": livestream.matter_type,
                                  "link": livestream.link,
                                  "starts_at": iso(livestream.starts_at),
                                  "notice": livestream.notice_id}})
        Livestream.update(disclosure_id=disclosure.id).where(
            Livestream.id == livestream.id).execute()
        livestream.disclosure_id = disclosure.id
        _audit(actor, grant, "record_result", livestream, disclosure=disclosure.id)
    return disclosure


def staff_query(actor: Actor | None, *, status: str | None = None,
                region_id: int | None = None):
    """Livestreams in the caller's reading scope, for keyset paging. Raises Forbidden."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = (Livestream.select(Livestream, Region)
             .join(Region, on=(Livestream.village == Region.id))
             .where(scope_condition(paths, Livestream.village_path)))
    if status is not None:
        query = query.where(Livestream.status == status)
    return query


def resident_query(actor: Actor | None):
    """The livestreams of the caller's village (cancelled ones included, with the reason),
    for keyset paging. Residents bound to a household; others get an empty list."""
    if actor is None:
        raise Unauthorized()
    places = resident_places(actor)
    village_id = places[0] if places else 0
    return (Livestream.select(Livestream, Region)
            .join(Region, on=(Livestream.village == Region.id))
            .where(Livestream.village == village_id))
