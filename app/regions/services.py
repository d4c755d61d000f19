"""Services of the region tree: create nodes, look them up, query subtrees.

Region paths are cached per process: a node's path never changes (nodes are not moved; a
re-organised village is a new node), so the cache needs no invalidation beyond process life.
"""

from __future__ import annotations

from functools import lru_cache

import peewee

from app.db import database
from app.errors import InvalidInput, NotFound
from app.regions import rules
from app.regions.models import Region


def create_region(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """Add a node under ``parent``. Raises InvalidInput for a level that may not hang there.

    Called by the sysadmin console, the demo/city seeders and imports. The caller's permission
    is checked by the caller's own service (region administration is sysadmin-only).
    """
    if level not in rules.LEVELS:
        raise InvalidInput("region.bad_level", f"未知的区域层级：{level}")
    parent_level = parent.level if parent is not None else None
    if not rules.may_hang_under(level, parent_level):
        raise InvalidInput(
            "region.bad_parent",
            f"{rules.LEVEL_NAMES[level]}不能挂在"
            f"{rules.LEVEL_NAMES.get(parent_level, '顶层')}下面",
        )
    with database.atomic():
        node = Region.create(
            code=code, name=name, level=level, parent=parent, path="/",
            depth=(parent.depth + 1) if parent else 0,
        )
        node.path = rules.child_path(parent.path if parent else None, node.id)
        Region.update(path=node.path).where(Region.id == node.id).execute()
    return node


def get_region(region_id: int) -> Region:
    region = Region.get_or_none(Region.id == region_id)
    if region is None:
        raise NotFound("region.not_found", "找不到该区域")
    return region


@lru_cache(maxsize=200_000)
def _path_of(region_id: int) -> str | None:
    row = Region.select(Region.path).where(Region.id == region_id).tuples().first()
    return row[0] if row else None


def path_of(region_id: int) -> str:
    """The materialised path of a node (cached)."""
    path = _path_of(region_id)
    if path is None:
        _path_of.cache_clear()  # a miss must not be remembered (the node may be created later)
        raise NotFound("region.not_found", "找不到该区域")
    return path


def clear_cache() -> None:
    _path_of.cache_clear()


def is_inside(inner_id: int, outer_id: int) -> bool:
    """Is node ``inner_id`` equal to or below ``outer_id``?"""
    return rules.contains(path_of(outer_id), path_of(inner_id))


def in_subtree(field: peewee.Field, path: str) -> peewee.Expression:
    """SQL condition: ``field`` (a region path column) lies in the subtree at ``path``."""
    return (field >= path) & (field < rules.subtree_upper_bound(path))


def ancestor_of_level(region: Region, level: str) -> Region | None:
    """The ancestor (or the node itself) at ``level``, e.g. the village of a household."""
    ids = rules.path_ids(region.path)
    if not ids:
        return None
    rows = {r.id: r for r in Region.select().where(Region.id.in_(ids))}
    for node_id in ids:
        node = rows.get(node_id)
        if node is not None and node.level == level:
            return node
    return None


def ancestors(region: Region) -> list[Region]:
    """The chain from the root down to ``region`` (inclusive)."""
    ids = rules.path_ids(region.path)
    rows = {r.id: r for r in Region.select().where(Region.id.in_(ids))}
    return [rows[i] for i in ids if i in rows]


def children(region_id: int | None, *, after_id: int = 0, limit: int = 50) -> list[Region]:
    """Direct children (top-level nodes when ``region_id`` is None), keyset by id."""
    cond = Region.parent.is_null() if region_id is None else (Region.parent == region_id)
    return list(
        Region.select().where(cond & (Region.id > after_id)).order_by(Region.id).limit(limit)
    )
