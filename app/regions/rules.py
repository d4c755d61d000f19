"""Pure rules of the region tree: levels, which level may hang under which, path maths.

A node's ``path`` is its ancestors' ids and its own, e.g. ``/1/5/23/``. "X is inside Y" is then
``X.path.startswith(Y.path)``: no query, which matters because it runs on every request.
"""

from __future__ import annotations

LEVELS = ("district", "town", "village", "grid", "estate", "building", "household")
LEVEL_NAMES = {
    "district": "区县",
    "town": "街道(乡镇)",
    "village": "社区(村)",
    "grid": "网格",
    "estate": "小区",
    "building": "楼栋",
    "household": "户",
}
# Estates are optional: a building may hang straight under a grid (villages rarely have estates).
ALLOWED_PARENTS = {
    "district": (None,),
    "town": ("district",),
    "village": ("town",),
    "grid": ("village",),
    "estate": ("grid",),
    "building": ("grid", "estate"),
    "household": ("building",),
}


def may_hang_under(level: str, parent_level: str | None) -> bool:
    return parent_level in ALLOWED_PARENTS.get(level, ())


def child_path(parent_path: str | None, node_id: int) -> str:
    return f"{parent_path or '/'}{node_id}/"


def contains(outer_path: str, inner_path: str) -> bool:
    """True when the node at ``inner_path`` is ``outer`` itself or lies below it."""
    return inner_path.startswith(outer_path)


def path_ids(path: str) -> list[int]:
    """Ids from the root down to the node itself."""
    return [int(part) for part in path.strip("/").split("/") if part]


def subtree_upper_bound(path: str) -> str:
    """Smallest string greater than every path starting with ``path``.

    Paths hold only digits and '/', and ``path`` ends with '/', so bumping that last '/' to '0'
    (the next byte) bounds the subtree: ``path <= p < bound``. This lets SQL use a plain b-tree
    index on ``path`` (byte order: SQLite BINARY, PostgreSQL COLLATE "C").
    """
    return path[:-1] + "0"
