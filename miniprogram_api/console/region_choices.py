"""Region pickers for the console's forms and filters: the places inside a person's scope for
one policy action, at the levels a service accepts, labelled so that two "第一网格" of
different villages can be told apart.

Only which options to *offer* is decided here; the service still checks the place chosen
(a hand-made request for a place outside the scope gets the service's 403/404).
"""

from __future__ import annotations

from app.policy import Actor, scope_paths
from app.regions import rules as region_rules
from app.regions.models import Region
from app.supervision.places import scope_condition, town_id_of

LIMIT = 300  # a picker, not a list: a town has a few dozen villages and grids


def places_in_scope(actor: Actor, action: str, levels: tuple[str, ...]) -> list[Region]:
    """Regions of ``levels`` lying in the scope the actor's grants give for ``action``."""
    paths = scope_paths(actor, action)
    if not paths:
        return []
    return list(Region.select().where(Region.level.in_(levels)
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(LIMIT))


def towns_around(actor: Actor, action: str) -> list[Region]:
    """Towns the actor's scope for ``action`` touches: the town above a village or grid
    grant, and the towns inside a wider one."""
    paths = scope_paths(actor, action)
    ids = {town_id_of(p) for p in paths} - {None}
    ids |= {r.id for r in places_in_scope(actor, action, ("town",))}
    return list(Region.select().where(Region.id.in_(ids or {0}) & (Region.level == "town"))
                .order_by(Region.path))


def labels(regions: list[Region]) -> dict[int, str]:
    """``{region id: "东星社区 第一网格"}``: each name after its ancestors below the town,
    with one query for all of them."""
    wanted = {i for r in regions for i in region_rules.path_ids(r.path)}
    rows = {r.id: r for r in Region.select(Region.id, Region.name, Region.level)
            .where(Region.id.in_(wanted or {0}))}
    out = {}
    for region in regions:
        chain = [rows[i] for i in region_rules.path_ids(region.path) if i in rows]
        below_town = [r.name for r in chain if r.level not in ("district", "town")]
        out[region.id] = " ".join(below_town) or region.name
    return out


def picked(regions: list[Region], raw: str | None) -> int | None:
    """The region id asked for in the query string, else the first option. An id outside
    the options is passed on as it is, so the service answers it (403/404)."""
    if raw and raw.isdigit():
        return int(raw)
    return regions[0].id if regions else None
