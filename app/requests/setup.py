"""Configuring requests for a town: categories, handling units and members, routing rules.

Town admins configure their town; sysadmins anything. Each write is audited. The lists the
console reads are scoped the same way and keyset-paged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.accounts.models import User
from app.audit.services import record
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, authorize, can, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.requests import policies, rules
from app.requests.models import HandlingUnit, RequestCategory, RoutingRule, UnitMember

UNIT_KINDS = ("grid", "village", "department")
DEFAULT_CATEGORIES = (
    ("environment", "环境卫生"), ("property", "物业管理"), ("roads", "道路交通"),
    ("water_power", "水电气"), ("neighbour", "邻里纠纷"), ("safety", "安全隐患"),
    ("elderly", "养老助残"), ("disclosure", "要求公开"), ("other", "其他"),
)


def ensure_default_categories() -> None:
    """The built-in category list every town starts with (idempotent; seeding and tests)."""
    with database.atomic():
        for code, name in DEFAULT_CATEGORIES:
            exists = RequestCategory.select().where(
                RequestCategory.town.is_null() & (RequestCategory.code == code)).exists()
            if not exists:
                RequestCategory.create(town=None, code=code, name=name)


def save_category(actor: Actor, *, town_id: int, code: str, name: str,
                  resolve_days: int | None = None, active: bool = True) -> RequestCategory:
    """Add or change a town's own category (overrides the default of the same code)."""
    town = regions.get_region(town_id)
    if town.level != "town":
        raise InvalidInput("request.category_needs_town", "类别只能按街道(乡镇)配置")
    if resolve_days is not None and not 0 <= resolve_days <= 60:
        raise InvalidInput("request.bad_limit", "办理时限应在 0 到 60 个工作日之间")
    with database.atomic():
        grant = authorize(actor, policies.CONFIGURE, town.path)
        row = RequestCategory.get_or_none((RequestCategory.town == town.id)
                                          & (RequestCategory.code == code))
        if row is None:
            row = RequestCategory.create(town=town.id, code=code, name=name,
                                         resolve_days=resolve_days, active=active)
        else:
            row.name, row.resolve_days, row.active = name, resolve_days, active
            row.save()
        record(actor=actor, grant=grant, action="request.save_category",
               object_type="request_category", object_id=row.id, region_path=town.path,
               summary={"code": code})
    return row


def create_unit(actor: Actor, *, name: str, kind: str, region_id: int,
                responsibilities: list[str]) -> HandlingUnit:
    """A handling unit with its responsibility list (the clauses a 退单 must cite)."""
    if kind not in UNIT_KINDS:
        raise InvalidInput("request.bad_unit_kind", "承办单位类型应为网格、社区(村)或部门")
    region = regions.get_region(region_id)
    with database.atomic():
        grant = authorize(actor, policies.CONFIGURE, region.path)
        unit = HandlingUnit.create(name=name, kind=kind, region=region,
                                   responsibilities=json.dumps(
                                       [r.strip() for r in responsibilities if r.strip()],
                                       ensure_ascii=False))
        record(actor=actor, grant=grant, action="request.create_unit", object_type="unit",
               object_id=unit.id, region_path=region.path, summary={"kind": kind})
    return unit


def _unit_in_scope(actor: Actor, unit_id: int) -> tuple[HandlingUnit, str]:
    """The unit if the actor may configure it; otherwise 404 whether or not it exists, so
    ids cannot be probed. Roles that configure nothing get 403 first."""
    require_any_scope(actor, policies.CONFIGURE)
    unit = HandlingUnit.get_or_none(HandlingUnit.id == unit_id)
    path = regions.path_of(unit.region_id) if unit is not None else None
    if unit is None or not can(actor, policies.CONFIGURE, path):
        raise NotFound("request.unit_not_found", "找不到该承办单位")
    return unit, path


def add_unit_member(actor: Actor, unit_id: int, user_id: int) -> UnitMember:
    """Make ``user_id`` a member (a handler) of the unit. Town admin or sysadmin in scope."""
    unit, path = _unit_in_scope(actor, unit_id)
    if User.get_or_none(User.id == user_id) is None:
        raise NotFound("user.not_found", "找不到该用户")
    with database.atomic():
        grant = authorize(actor, policies.CONFIGURE, path)
        member, _ = UnitMember.get_or_create(unit=unit.id, user=user_id)
        record(actor=actor, grant=grant, action="request.add_unit_member", object_type="unit",
               object_id=unit.id, region_path=path, summary={"user": user_id})
    return member


def add_routing_rule(actor: Actor, *, region_id: int, unit_id: int,
                     category_code: str = "") -> RoutingRule:
    """Requests of ``category_code`` (all, if empty) inside ``region_id`` go to ``unit_id``."""
    unit, unit_path = _unit_in_scope(actor, unit_id)
    region = regions.get_region(region_id)
    if not region.path.startswith(unit_path):
        raise InvalidInput("request.unit_out_of_area", f"{unit.name}不负责该区域")
    with database.atomic():
        grant = authorize(actor, policies.CONFIGURE, region.path)
        rule = RoutingRule.create(region=region, region_path=region.path, unit=unit,
                                  category_code=category_code)
        record(actor=actor, grant=grant, action="request.add_routing_rule",
               object_type="routing_rule", object_id=rule.id, region_path=region.path,
               summary={"unit": unit.id, "category": category_code})
    return rule


def limits_table() -> dict[str, int]:
    """Default time limits by type, for display."""
    return dict(rules.DEFAULT_RESOLVE_DAYS)


# Reading the configuration (the console's pages). Lists are scoped to the caller's
# configuration scope and returned as queries (or pages) for keyset paging.

@dataclass(frozen=True)
class TownCategory:
    """A category as one town offers it: its own row over the default of the same code."""

    code: str
    name: str
    resolve_days: int | None  # None: the default limit of the request's type
    active: bool
    customised: bool  # the town has its own row for this code


def _config_scope(actor: Actor, column, region_id: int | None):
    if region_id is not None:
        path = regions.path_of(region_id)
        authorize(actor, policies.CONFIGURE, path)
        return regions.in_subtree(column, path)
    cond = None
    for path in require_any_scope(actor, policies.CONFIGURE):
        part = regions.in_subtree(column, path)
        cond = part if cond is None else (cond | part)
    return cond


def units_query(actor: Actor, *, region_id: int | None = None):
    """Handling units placed in the caller's configuration scope (inside ``region_id`` when
    given), with their region joined. Town admins and sysadmins. Raises Forbidden (no scope,
    or ``region_id`` outside it) and region.not_found. Reads only."""
    return (HandlingUnit.select(HandlingUnit, Region)
            .join(Region, on=(HandlingUnit.region == Region.id))
            .where(_config_scope(actor, Region.path, region_id)))


def routing_rules_query(actor: Actor, *, region_id: int | None = None):
    """Routing rules placed in the caller's configuration scope (inside ``region_id`` when
    given), with their unit joined. Town admins and sysadmins. Raises Forbidden and
    region.not_found. Reads only."""
    return (RoutingRule.select(RoutingRule, HandlingUnit)
            .join(HandlingUnit, on=(RoutingRule.unit == HandlingUnit.id))
            .where(_config_scope(actor, RoutingRule.region_path, region_id)))


def town_categories(actor: Actor, town_id: int, *, after_code: str | None = None,
                    limit: int = 50) -> tuple[list[TownCategory], bool]:
    """One town's categories — the default list with the town's own rows laid over it,
    switched-off ones included — ordered by code after ``after_code``; returns the page and
    whether more follow. Town admins and sysadmins whose scope holds the town.

    Raises region.not_found, request.category_needs_town, Forbidden. Reads only.
    """
    town = regions.get_region(town_id)
    if town.level != "town":
        raise InvalidInput("request.category_needs_town", "类别只能按街道(乡镇)配置")
    authorize(actor, policies.CONFIGURE, town.path)
    mine = RequestCategory.town.is_null() | (RequestCategory.town == town.id)
    codes_query = RequestCategory.select(RequestCategory.code).where(mine).distinct()
    if after_code is not None:
        codes_query = codes_query.where(RequestCategory.code > after_code)
    codes = [row[0] for row in codes_query.order_by(RequestCategory.code)
             .limit(limit + 1).tuples()]
    more, codes = len(codes) > limit, codes[:limit]
    rows = RequestCategory.select().where(mine & RequestCategory.code.in_(codes or [""]))
    chosen: dict[str, RequestCategory] = {}
    for row in rows.order_by(RequestCategory.id):
        if row.code not in chosen or row.town_id is not None:
            chosen[row.code] = row
    page = [TownCategory(c.code, c.name, c.resolve_days, c.active, c.town_id is not None)
            for c in (chosen[code] for code in codes if code in chosen)]
    return page, more


def town_of(region_path: str) -> int | None:
    """The town id in a region path (district / town / …: the second node)."""
    ids = [int(p) for p in region_path.strip("/").split("/") if p]
    return ids[1] if len(ids) > 1 else None


def category_names(pairs: set[tuple[int | None, str]]) -> dict[tuple[int | None, str], str]:
    """(town id, code) → the name shown there: the town's own row, else the default, else any
    town's row (a category that exists only elsewhere), else the code. One query; for
    labelling lists, exports and statistics, so switched-off categories keep their names."""
    rows = (RequestCategory.select(RequestCategory.town, RequestCategory.code,
                                    RequestCategory.name)
            .where(RequestCategory.code.in_({code for _, code in pairs} or {""}))
            .order_by(RequestCategory.id).tuples())
    exact: dict[tuple[int | None, str], str] = {}
    anywhere: dict[str, str] = {}
    for town_id, code, name in rows:
        exact[(town_id, code)] = name
        anywhere.setdefault(code, name)
    return {(town_id, code): exact.get((town_id, code)) or exact.get((None, code))
            or anywhere.get(code) or code for town_id, code in pairs}
