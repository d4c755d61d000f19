"""Who may do what with points.

Staff act inside their grant: reading ledgers and rankings, awarding, reversing, configuring
rules and star thresholds, running the village store. Residents see their own account (and
their household's), the rankings of their own grid, village and town, and the store of their
own village; anything else does not exist for them (404).
"""

from __future__ import annotations

from app.errors import NotFound, Unauthorized
from app.policy import Actor, register

FRONTLINE = {"grid_worker", "cadre", "town_admin"}

READ = register("points.read", FRONTLINE | {"sysadmin", "supervision_committee",
                                            "discipline_officer"})
AWARD = register("points.award", FRONTLINE)
REVERSE = register("points.reverse", {"cadre", "town_admin"})
CONFIGURE = register("points.configure", {"cadre", "town_admin", "sysadmin"})
STORE_MANAGE = register("points.store_manage", {"cadre", "town_admin"})
STORE_HAND_OVER = register("points.store_hand_over", {"cadre", "town_admin"})


def require_resident(actor: Actor | None) -> Actor:
    """A logged-in user bound to a household (points are earned and spent by residents)."""
    if actor is None:
        raise Unauthorized()
    if actor.household_id is None or actor.household_path is None:
        raise NotFound("points.not_resident", "绑定户籍（住户）后才能使用积分")
    return actor


def in_home_area(actor: Actor, region_path: str) -> bool:
    """Is ``region_path`` (a village or below) an ancestor of the resident's household?"""
    return bool(actor.household_path) and actor.household_path.startswith(region_path)
