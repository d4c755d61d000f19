"""Who may see and do what with wishes.

Decisions, so residents and staff can hold the software to them:

* A wish is village content. Once approved it is on the wall of the wisher's village, which
  residents whose household lies in that village read (a visitor without a household does
  not). Before approval, and after rejection, withdrawal or takedown, only the wisher and
  staff in scope see it. Out of reach is ``wish.not_found``: existence is not revealed.
* Staff in scope (``wish.read``: grid workers, cadres, town admins) see every wish of their
  area. Review — approve or reject — is for grid workers and cadres, the people who know the
  households; takedown also for the town admin; the town admin sets the town's time limits.
* Claiming needs the volunteer or party-member flag *and* a household in the wish's village:
  help is neighbourly, and the wisher's village staff can vouch for the helper. Nobody claims
  their own wish.
* Photos of a wish and of its fulfilment are visible to whoever may see the wish.
"""

from __future__ import annotations

from app.errors import NotFound
from app.policy import Actor, can, register
from app.regions import rules as region_rules
from app.wishes import rules
from app.wishes.models import Wish

READ = register("wish.read", {"grid_worker", "cadre", "town_admin"})
REVIEW = register("wish.review", {"grid_worker", "cadre"})
TAKE_DOWN = register("wish.take_down", {"grid_worker", "cadre", "town_admin"})
CONFIGURE = register("wish.configure", {"town_admin"})


def village_path(wish: Wish) -> str:
    """The path of the wish's village, cut from the household path (no query)."""
    ids = region_rules.path_ids(wish.region_path)
    return "/" + "/".join(str(i) for i in ids[:ids.index(wish.village_id) + 1]) + "/"


def lives_in_village(actor: Actor | None, wish: Wish) -> bool:
    return (actor is not None and actor.household_path is not None
            and region_rules.contains(village_path(wish), actor.household_path))


def is_wisher(actor: Actor | None, wish: Wish) -> bool:
    return actor is not None and wish.wisher_id == actor.user_id


def is_claimant(actor: Actor | None, wish: Wish) -> bool:
    return actor is not None and wish.claimant_id == actor.user_id


def is_staff_reader(actor: Actor | None, wish: Wish) -> bool:
    return can(actor, READ, wish.region_path)


def can_view(actor: Actor | None, wish: Wish) -> bool:
    if actor is None:
        return False
    if is_wisher(actor, wish) or is_claimant(actor, wish) or is_staff_reader(actor, wish):
        return True
    return wish.status in rules.PUBLIC_STATES and lives_in_village(actor, wish)


def not_found() -> NotFound:
    return NotFound("wish.not_found", "找不到该心愿")


def load_visible(actor: Actor | None, wish_id: int) -> Wish:
    """The wish if the actor may see it; otherwise wish.not_found."""
    wish = Wish.get_or_none(Wish.id == wish_id)
    if wish is None or not can_view(actor, wish):
        raise not_found()
    return wish


def _may_view_wish_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    wish = Wish.get_or_none(Wish.id == int(raw_id)) if raw_id.isdigit() else None
    return wish is not None and can_view(actor, wish)


def register_media_visibility() -> None:
    from app.media.policies import register_visibility

    register_visibility("wish", _may_view_wish_media)
    register_visibility("wish_fulfilment", _may_view_wish_media)


register_media_visibility()
