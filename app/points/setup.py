"""Setting points up in a town or village: opening a village's pool, versioned rules and star
thresholds. Every change is a new version; nothing a transfer refers to is ever rewritten
(a superseded rule only gets its ``effective_to``)."""

from __future__ import annotations

import datetime as dt
import json

import peewee

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.points import ledger, policies, rules, tx
from app.points.models import PointsAccount, PointsRule, StarScheme
from app.policy import Actor, authorize
from app.regions.services import get_region

CONFIG_LEVELS = ("town", "village")


def open_pool(actor: Actor, village_id: int) -> PointsAccount:
    """Open the points pool of a village (the source its credits come from).

    Cadres, town admins and sysadmins whose grant covers the village. Idempotent: opening an
    open pool returns it. Raises Forbidden, NotFound region.not_found, InvalidInput
    ``points.not_a_village``. Changes: a pool account; an audit entry.
    """
    village = get_region(village_id)
    grant = authorize(actor, policies.CONFIGURE, village.path)
    if village.level != "village":
        raise InvalidInput("points.not_a_village", "积分池只能在社区(村)开设")

    def run() -> PointsAccount:
        existing = ledger.find_account("pool", village.id)
        if existing is not None:
            return existing
        pool = ledger.ensure_account("pool", village.id, ledger.place_of(village.path), utcnow())
        record(actor=actor, grant=grant, action="points.open_pool", object_type="points_account",
               object_id=pool.id, region_path=village.path, summary={"village_id": village.id})
        return pool

    return tx.write(run)


def set_rule(actor: Actor, *, region_id: int, event_type: str, points: int, unit: str,
             name: str = "", reason: str = "",
             effective_from: dt.datetime | None = None) -> PointsRule:
    """Publish a new version of the rule for ``event_type`` in a town or village; the version
    in force until then ends when this one starts.

    Cadres (their village), town admins (town and villages), sysadmins. ``effective_from``
    defaults to now and may not be in the past nor before the current version's start.
    Raises Forbidden, InvalidInput ``points.bad_rule`` / ``points.not_configurable_here``,
    Conflict ``points.rule_changed`` (another version was published at the same time).
    Changes: a rule row, the previous version's ``effective_to``; an audit entry.
    """
    region = get_region(region_id)
    grant = authorize(actor, policies.CONFIGURE, region.path)
    if region.level not in CONFIG_LEVELS:
        raise InvalidInput("points.not_configurable_here", "积分规则只能按街道或社区(村)设置")
    now = utcnow()
    start = effective_from or now
    _check_rule(event_type, points, unit, name, start, now)
    label = (name or rules.EVENT_TYPES.get(event_type, (event_type,))[0])[:50]

    def run() -> PointsRule:
        latest = (PointsRule.select().where((PointsRule.scope_path == region.path)
                                            & (PointsRule.event_type == event_type))
                  .order_by(PointsRule.version.desc()).first())
        if latest is not None and start < latest.effective_from:
            raise InvalidInput("points.bad_rule", "新版本的生效时间不能早于当前版本")
        if latest is not None and (latest.effective_to is None or latest.effective_to > start):
            (PointsRule.update(effective_to=start).where(PointsRule.id == latest.id).execute())
        try:
            with database.atomic():
                rule = PointsRule.create(
                    scope_path=region.path, scope_region_id=region.id, event_type=event_type,
                    name=label, version=(latest.version + 1) if latest else 1, points=points,
                    unit=unit, effective_from=start, reason=reason[:200],
                    created_by=actor.user_id, created_at=now)
        except peewee.IntegrityError as exc:
            raise Conflict("points.rule_changed", "规则刚被他人修改，请刷新后重试") from exc
        record(actor=actor, grant=grant, action="points.set_rule", object_type="points_rule",
               object_id=rule.id, region_path=region.path, region_id=region.id,
               summary={"event_type": event_type, "version": rule.version, "points": points,
                        "unit": unit})
        return rule

    return tx.write(run)


def _check_rule(event_type, points, unit, name, start, now) -> None:
    if not rules.valid_event_type(event_type):
        raise InvalidInput("points.bad_rule", "事件类型代码无效")
    known = rules.EVENT_TYPES.get(event_type)
    if known is not None and known[1] != unit:
        raise InvalidInput("points.bad_rule", "该事件类型的计分单位不可更改")
    if known is None and not name:
        raise InvalidInput("points.bad_rule", "自定义事件类型需要名称")
    if unit not in rules.UNITS or not 1 <= points <= 10_000:
        raise InvalidInput("points.bad_rule", "分值应为 1 到 10000 的整数")
    if start < now - dt.timedelta(minutes=1):
        raise InvalidInput("points.bad_rule", "规则不能追溯生效")


def end_rule(actor: Actor, rule_id: int, *, reason: str = "",
             effective_to: dt.datetime | None = None) -> PointsRule:
    """Stop a rule version (from ``effective_to``, default now); events after that wait for a
    new version. Same roles as :func:`set_rule`. Raises Forbidden, NotFound
    ``points.rule_not_found``, Conflict ``points.rule_ended``. Changes: ``effective_to``."""
    rule = PointsRule.get_or_none(PointsRule.id == rule_id)
    if rule is None or rule.scope_region_id is None:
        raise NotFound("points.rule_not_found", "找不到该积分规则")
    grant = authorize(actor, policies.CONFIGURE, rule.scope_path)
    now = utcnow()
    end = max(effective_to or now, now)

    def run() -> PointsRule:
        changed = (PointsRule.update(effective_to=end)
                   .where((PointsRule.id == rule.id)
                          & (PointsRule.effective_to.is_null() | (PointsRule.effective_to > end)))
                   .execute())
        if not changed:
            raise Conflict("points.rule_ended", "该规则已停止")
        record(actor=actor, grant=grant, action="points.end_rule", object_type="points_rule",
               object_id=rule.id, region_path=rule.scope_path,
               summary={"event_type": rule.event_type, "version": rule.version,
                        "reason_given": bool(reason)})
        return PointsRule.get_by_id(rule.id)

    return tx.write(run)


def rules_in_force(region_path: str, at: dt.datetime | None = None) -> list[PointsRule]:
    """The rule of each event type that applies at ``region_path`` now (public information)."""
    from app.points.services import find_rule

    at = at or utcnow()
    types = [row[0] for row in PointsRule.select(PointsRule.event_type).distinct()
             .where(PointsRule.scope_path.in_(rules.scope_paths(region_path))).tuples()]
    found = [find_rule(t, region_path, at) for t in sorted(types)]
    return [r for r in found if r is not None]


def rule_history(actor: Actor, region_id: int):
    """Every version of every rule set on ``region_id`` or above it, newest first (query).
    Staff who may read points there."""
    region = get_region(region_id)
    authorize(actor, policies.READ, region.path)
    return PointsRule.select().where(PointsRule.scope_path.in_(rules.scope_paths(region.path)))


def ensure_default_rules(now: dt.datetime | None = None) -> int:
    """The defaults for everywhere (scope "/"), written once by the system (seeding, tests).
    Returns how many were created."""
    defaults = {"action.attended": 10, "wish.fulfilled": 5, "request.confirmed_valid": 2,
                "consultation.comment_accepted": 3, rules.STAFF_AWARD: 50}
    now = now or utcnow()
    created = 0
    with database.atomic():
        for code, points in defaults.items():
            name, unit = rules.EVENT_TYPES[code]
            created += (PointsRule.insert(
                scope_path="/", event_type=code, name=name, version=1, points=points, unit=unit,
                effective_from=dt.datetime(2000, 1, 1), reason="默认规则", created_at=now)
                .on_conflict_ignore().as_rowcount().execute())
    return created


def set_star_scheme(actor: Actor, *, region_id: int, account_kind: str, period_kind: str,
                    thresholds: list[int]) -> StarScheme:
    """Set the star thresholds for people or households (星级文明户) in a town or village.

    Same roles as :func:`set_rule`. Raises Forbidden, InvalidInput ``points.bad_stars``.
    Changes: a new scheme version; an audit entry.
    """
    region = get_region(region_id)
    grant = authorize(actor, policies.CONFIGURE, region.path)
    if region.level not in CONFIG_LEVELS:
        raise InvalidInput("points.not_configurable_here", "星级标准只能按街道或社区(村)设置")
    if account_kind not in rules.RANKED_KINDS or period_kind not in ("all", "year"):
        raise InvalidInput("points.bad_stars", "星级标准的对象或统计周期无效")
    try:
        values = rules.check_thresholds(thresholds)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("points.bad_stars", "星级门槛应为 1 到 10 个递增的正整数") from exc

    def run() -> StarScheme:
        latest = (StarScheme.select(peewee.fn.MAX(StarScheme.version))
                  .where((StarScheme.scope_path == region.path)
                         & (StarScheme.account_kind == account_kind)).scalar()) or 0
        try:
            with database.atomic():
                scheme = StarScheme.create(
                    scope_path=region.path, scope_region_id=region.id,
                    account_kind=account_kind, period_kind=period_kind,
                    thresholds=json.dumps(list(values)), version=latest + 1,
                    created_by=actor.user_id, created_at=utcnow())
        except peewee.IntegrityError as exc:
            raise Conflict("points.rule_changed", "星级标准刚被他人修改，请刷新后重试") from exc
        record(actor=actor, grant=grant, action="points.set_stars", object_type="star_scheme",
               object_id=scheme.id, region_path=region.path, region_id=region.id,
               summary={"account_kind": account_kind, "period_kind": period_kind,
                        "thresholds": list(values)})
        return scheme

    return tx.write(run)
