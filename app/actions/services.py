"""Creating, changing, cancelling and listing actions; approving resident organisers.

Sign-ups are in ``signups.py``; check-in, check-out and attendance in ``attendance.py``.
"""

from __future__ import annotations

import datetime as dt
import json

from app.accounts.models import User
from app.actions import policies
from app.actions.models import Action, ActionOrganiser, ActionSignup
from app.actions.signups import promote_waitlist
from app.audit.services import record
from app.clock import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.notifications.services import enqueue
from app.points import rules as points_rules
from app.points.services import find_rule
from app.points.tx import write
from app.policy import Actor, authorize, find_grant, require_any_scope
from app.regions.services import ancestor_of_level, get_region, in_subtree

ACTION_LEVELS = ("town", "village", "grid", "estate", "building")
MAX_SKILLS = 10


def _audit(actor: Actor, action: Action, what: str, summary: dict) -> None:
    record(actor=actor, grant=find_grant(actor, policies.MANAGE, action.region_path),
           action=what, object_type="action", object_id=action.id,
           region_path=action.region_path, summary=summary)


def _check(title: str, place: str, starts_at: dt.datetime, ends_at: dt.datetime,
           capacity: int, now: dt.datetime) -> None:
    if not title.strip() or not place.strip():
        raise InvalidInput("action.bad_action", "请填写活动名称和地点")
    if ends_at <= starts_at or starts_at <= now:
        raise InvalidInput("action.bad_time", "活动须在将来开始，且结束晚于开始")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise InvalidInput("action.bad_time", "单次活动不超过 24 小时")
    if not 1 <= capacity <= 10_000:
        raise InvalidInput("action.bad_action", "招募人数应为 1 到 10000")


def create_action(actor: Actor, *, region_id: int, title: str, place: str,
                  starts_at: dt.datetime, ends_at: dt.datetime, capacity: int,
                  description: str = "", skills: list[str] | None = None,
                  points_event_type: str = "action.attended",
                  cancel_close_minutes: int = 120) -> Action:
    """Publish an action open to residents of ``region_id``.

    Grid workers, cadres and town admins inside their grant, and residents approved as
    organisers there. The points rule must pay per hour. Raises Forbidden, NotFound
    region.not_found, InvalidInput ``action.bad_action`` / ``action.bad_time`` /
    ``action.bad_region`` / ``action.bad_points_rule``. Changes: an action; an audit entry.
    """
    region = get_region(region_id)
    if not policies.may_create_at(actor, region.path):
        authorize(actor, policies.MANAGE, region.path)  # raises the right error
    now = utcnow()
    _check(title, place, starts_at, ends_at, capacity, now)
    if region.level not in ACTION_LEVELS:
        raise InvalidInput("action.bad_region", "活动范围应为街道、社区(村)、网格或楼栋")
    skills = [s.strip()[:20] for s in (skills or []) if s.strip()][:MAX_SKILLS]
    if not 0 <= cancel_close_minutes <= 7 * 24 * 60:
        raise InvalidInput("action.bad_action", "取消报名截止时间应在开始前 0 到 7 天")
    rule = find_rule(points_event_type, region.path, now)
    known = points_rules.EVENT_TYPES.get(points_event_type)
    if (known and known[1] != "hour") or (not known and (rule is None or rule.unit != "hour")):
        raise InvalidInput("action.bad_points_rule", "活动积分须按服务小时计算")
    issuer = ancestor_of_level(region, "village") or ancestor_of_level(region, "town")

    def run() -> Action:
        action = Action.create(
            title=title.strip()[:100], description=(description or "")[:5000],
            place=place.strip()[:200], starts_at=starts_at, ends_at=ends_at, capacity=capacity,
            region_id=region.id, region_path=region.path, issuer_region_id=issuer.id,
            skills=json.dumps(skills, ensure_ascii=False), points_event_type=points_event_type,
            cancel_close_minutes=cancel_close_minutes, organiser=actor.user_id, created_at=now)
        _audit(actor, action, "action.create", {"capacity": capacity})
        return action

    return write(run)


def update_action(actor: Actor, action_id: int, *, title: str | None = None,
                  description: str | None = None, place: str | None = None,
                  capacity: int | None = None) -> Action:
    """Change an open action's text or capacity; a larger capacity promotes the waitlist.
    Its organiser or staff over it. Raises NotFound ``action.not_found``, Forbidden,
    InvalidInput ``action.bad_action`` (below the places already taken), Conflict
    ``action.closed``. Changes: the action, promoted sign-ups; an audit entry."""
    found = policies.load_action(actor, action_id, manage=True)

    def run() -> Action:
        Action.update(version=Action.version + 1).where(Action.id == found.id).execute()
        action = Action.get_by_id(found.id)
        if action.status != "open":
            raise Conflict("action.closed", "活动已取消")
        changes = {}
        for field, value in (("title", title), ("description", description), ("place", place)):
            if value is not None:
                if field != "description" and not value.strip():
                    raise InvalidInput("action.bad_action", "请填写活动名称和地点")
                changes[field] = value.strip()
        if capacity is not None:
            if capacity < action.taken or capacity > 10_000:
                raise InvalidInput("action.bad_action",
                                   f"招募人数不能少于已报名的 {action.taken} 人")
            changes["capacity"] = capacity
        if changes:
            Action.update(**changes).where(Action.id == action.id).execute()
        promoted = promote_waitlist(Action.get_by_id(action.id))
        _audit(actor, action, "action.update",
               {"fields": sorted(changes), "promoted": len(promoted)})
        return Action.get_by_id(action.id)

    return write(run)


def cancel_action(actor: Actor, action_id: int, *, reason: str) -> Action:
    """Call an action off and tell everyone signed up. Its organiser or staff over it.
    Raises NotFound, Forbidden, InvalidInput ``action.reason_required``, Conflict
    ``action.closed``. Changes: the action; notices; an audit entry."""
    action = policies.load_action(actor, action_id, manage=True)
    if not (reason or "").strip():
        raise InvalidInput("action.reason_required", "请填写取消原因")

    def run() -> Action:
        now = utcnow()
        done = (Action.update(status="cancelled", cancelled_at=now, cancel_reason=reason[:200],
                              version=Action.version + 1)
                .where((Action.id == action.id) & (Action.status == "open")).execute())
        if not done:
            raise Conflict("action.closed", "活动已取消")
        for (user_id,) in (ActionSignup.select(ActionSignup.user)
                           .where((ActionSignup.action == action.id)
                                  & (ActionSignup.status != "cancelled")).tuples()):
            enqueue(channel="in_app", kind="action.cancelled", recipient_user_id=user_id,
                    dedupe_key=f"action.cancelled:{action.id}:{user_id}",
                    title=f"活动“{action.title[:40]}”已取消", body=reason[:200],
                    page=f"pages/actions/detail?id={action.id}", now=now)
        _audit(actor, action, "action.cancel", {"reason_given": True})
        return Action.get_by_id(action.id)

    return write(run)


def get_action(actor: Actor | None, action_id: int) -> Action:
    """An action the caller may see: its region holds their household, or they organise or
    read actions there."""
    return policies.load_action(actor, action_id)


def eligible_actions(actor: Actor, *, now: dt.datetime | None = None):
    """Open actions not yet ended whose region holds the caller's household (a query)."""
    if not actor.household_path:
        raise NotFound("action.not_resident", "绑定住户后才能报名参加微行动")
    now = now or utcnow()
    paths = points_rules.scope_paths(actor.household_path)
    return Action.select().where(Action.region_path.in_(paths) & (Action.status == "open")
                                 & (Action.ends_at > now))


def staff_actions(actor: Actor, *, status: str | None = None, upcoming: bool = False):
    """Actions in the caller's scope (a query)."""
    cond = None
    for path in require_any_scope(actor, policies.READ):
        part = in_subtree(Action.region_path, path)
        cond = part if cond is None else (cond | part)
    query = Action.select().where(cond)
    if status:
        query = query.where(Action.status == status)
    if upcoming:
        query = query.where(Action.ends_at > utcnow())
    return query


def organised_by_me(actor: Actor):
    """Actions the caller organises (a query)."""
    return Action.select().where(Action.organiser == actor.user_id)


def approve_organiser(actor: Actor, *, user_id: int, region_id: int) -> ActionOrganiser:
    """Approve a resident to organise actions inside ``region_id`` (a village or below).
    Cadres and town admins over that region. Raises Forbidden, NotFound
    ``action.user_not_found``, InvalidInput ``action.bad_region``, Conflict
    ``action.already_organiser``. Changes: an organiser row; an audit entry."""
    region = get_region(region_id)
    grant = authorize(actor, policies.APPROVE_ORGANISER, region.path)
    if region.level not in ACTION_LEVELS[1:]:
        raise InvalidInput("action.bad_region", "组织者只能在社区(村)或更小范围内批准")
    if User.get_or_none(User.id == user_id) is None:
        raise NotFound("action.user_not_found", "找不到该居民")

    def run() -> ActionOrganiser:
        held = ActionOrganiser.select().where(
            (ActionOrganiser.user == user_id) & ActionOrganiser.revoked_at.is_null()
            & (ActionOrganiser.region_path == region.path)).exists()
        if held:
            raise Conflict("action.already_organiser", "该居民已是此范围的活动组织者")
        row = ActionOrganiser.create(user=user_id, region_id=region.id, region_path=region.path,
                                     approved_by=actor.user_id, created_at=utcnow())
        record(actor=actor, grant=grant, action="action.approve_organiser",
               object_type="action_organiser", object_id=row.id, region_path=region.path,
               summary={"user_id": user_id})
        return row

    return write(run)


def revoke_organiser(actor: Actor, organiser_id: int) -> ActionOrganiser:
    """End an organiser approval. Cadres and town admins over its region. Raises NotFound
    ``action.organiser_not_found``, Forbidden. Changes: ``revoked_at``; an audit entry."""
    row = ActionOrganiser.get_or_none(ActionOrganiser.id == organiser_id)
    if row is None or row.revoked_at is not None:
        raise NotFound("action.organiser_not_found", "找不到该组织者")
    grant = authorize(actor, policies.APPROVE_ORGANISER, row.region_path)

    def run() -> ActionOrganiser:
        ActionOrganiser.update(revoked_at=utcnow()).where(
            (ActionOrganiser.id == row.id) & ActionOrganiser.revoked_at.is_null()).execute()
        record(actor=actor, grant=grant, action="action.revoke_organiser",
               object_type="action_organiser", object_id=row.id, region_path=row.region_path,
               summary={"user_id": row.user_id})
        return ActionOrganiser.get_by_id(row.id)

    return write(run)


def organisers(actor: Actor):
    """Live organiser approvals in the caller's scope (a query)."""
    cond = None
    for path in require_any_scope(actor, policies.APPROVE_ORGANISER):
        part = in_subtree(ActionOrganiser.region_path, path)
        cond = part if cond is None else (cond | part)
    return ActionOrganiser.select().where(cond & ActionOrganiser.revoked_at.is_null())
