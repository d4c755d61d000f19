"""Places of supervision records: the village and town of a region, residents and staff there.

The region tree is district → town → village → … (``app.regions.rules.ALLOWED_PARENTS``: a
district is always the root and a town always hangs under it), so in a materialised path the
town is the second id and the village the third. That lets these helpers answer without a query.
"""

from __future__ import annotations

from peewee import SQL

from app.accounts.models import RoleGrant
from app.errors import InvalidInput
from app.policy import Actor
from app.regions import rules as region_rules
from app.regions import services as regions
from app.regions.models import Region


def town_id_of(path: str) -> int | None:
    """The town id in a region path (None above town level)."""
    ids = region_rules.path_ids(path)
    return ids[1] if len(ids) > 1 else None


def village_id_of(path: str) -> int | None:
    """The village id in a region path (None above village level)."""
    ids = region_rules.path_ids(path)
    return ids[2] if len(ids) > 2 else None


def get_village(village_id: int, code: str) -> Region:
    """The village ``village_id``; InvalidInput ``<code>`` when the node is not a village."""
    region = regions.get_region(village_id)
    if region.level != "village":
        raise InvalidInput(code, "请选择一个社区(村)")
    return region


def resident_places(actor: Actor | None) -> tuple[int, int] | None:
    """(village id, town id) of the caller's household, or None for anyone not bound."""
    if actor is None or not actor.household_path:
        return None
    village, town = village_id_of(actor.household_path), town_id_of(actor.household_path)
    if village is None or town is None:
        return None
    return village, town


def lives_under(actor: Actor | None, region_path: str) -> bool:
    """Is the caller's household inside the node at ``region_path`` (their village or town)?"""
    return bool(actor and actor.household_path
                and region_rules.contains(region_path, actor.household_path))


def staff_with_roles(region_path: str, roles: set[str]) -> list[int]:
    """Users holding one of ``roles`` on the node at ``region_path`` or any ancestor of it."""
    ancestors = region_rules.path_ids(region_path)
    return [row[0] for row in RoleGrant.select(RoleGrant.user).where(
        RoleGrant.role.in_(sorted(roles)) & RoleGrant.region.in_(ancestors)
        & RoleGrant.revoked_at.is_null()).distinct().order_by(RoleGrant.user).tuples()]


def scope_condition(paths: list[str], column):
    """SQL condition: ``column`` (a region path) lies under one of ``paths``; never true when
    ``paths`` is empty."""
    cond = None
    for path in paths:
        part = regions.in_subtree(column, path)
        cond = part if cond is None else (cond | part)
    return cond if cond is not None else SQL("1 = 0")


def narrow_scope(paths: list[str], region_id: int | None) -> list[str]:
    """The scope ``paths`` narrowed to the subtree of ``region_id`` (when given)."""
    if region_id is None:
        return paths
    inner = regions.path_of(region_id)
    if any(region_rules.contains(outer, inner) for outer in paths):
        return [inner]
    return [p for p in paths if region_rules.contains(inner, p)]
