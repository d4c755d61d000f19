"""Who may do what with the power list.

Town admins keep the town's template and every village's list in their town (the list is set
by the town, not by the cadres it binds). Every staff role reads the lists that apply to its
scope — those inside it and those of the nodes above it (a grid worker reads their village's
list and the town template); residents read their own village's active list (权力清单 is
public by design).
"""

from __future__ import annotations

from app.policy import Actor, register, roles_for
from app.regions import rules as region_rules

READ = register("power_item.read", {"grid_worker", "cadre", "finance_panel",
                                    "supervision_committee", "discipline_officer",
                                    "town_admin"})
MANAGE = register("power_item.manage", {"town_admin"})


def reading_paths(actor: Actor | None) -> list[str]:
    """Paths of the staff grants that may read power lists."""
    if actor is None:
        return []
    roles = roles_for(READ)
    return [g.region_path for g in actor.grants if g.role in roles]


def may_read(actor: Actor | None, region_path: str) -> bool:
    """A list at ``region_path`` applies to the caller's scope: inside it or above it."""
    return any(region_rules.contains(path, region_path)
               or region_rules.contains(region_path, path) for path in reading_paths(actor))
