"""Who may do what with actions.

Staff (grid workers, cadres, town admins) organise actions inside their grant. A resident the
cadres or town admins have approved as an organiser (``ActionOrganiser``) organises actions
inside the approved region, from the mini-program. The organiser of an action — whoever created
it — records and certifies its attendance (谁记录谁证明); staff over the action may too.
Residents see the open actions they may join: those whose region holds their household.
"""

from __future__ import annotations

from app.actions.models import Action, ActionOrganiser
from app.errors import Forbidden, NotFound, Unauthorized
from app.policy import Actor, can, register
from app.regions import rules as region_rules

FRONTLINE = {"grid_worker", "cadre", "town_admin"}

MANAGE = register("action.manage", FRONTLINE)
READ = register("action.read", FRONTLINE | {"sysadmin", "supervision_committee",
                                            "discipline_officer"})
APPROVE_ORGANISER = register("action.approve_organiser", {"cadre", "town_admin"})
EXPORT_RECORDS = register("action.export_records", FRONTLINE)


def organiser_scopes(actor: Actor | None) -> list[str]:
    """Region paths where the actor is an approved (not revoked) organiser."""
    if actor is None:
        return []
    return [row[0] for row in ActionOrganiser.select(ActionOrganiser.region_path)
            .where((ActionOrganiser.user == actor.user_id)
                   & ActionOrganiser.revoked_at.is_null()).tuples()]


def may_create_at(actor: Actor | None, region_path: str) -> bool:
    return can(actor, MANAGE, region_path) or any(
        region_rules.contains(scope, region_path) for scope in organiser_scopes(actor))


def may_manage(actor: Actor | None, action: Action) -> bool:
    """Staff over the action, or its own organiser while still approved there."""
    if actor is None:
        return False
    if can(actor, MANAGE, action.region_path):
        return True
    return action.organiser_id == actor.user_id and any(
        region_rules.contains(scope, action.region_path) for scope in organiser_scopes(actor))


def may_read(actor: Actor | None, action: Action) -> bool:
    if actor is None:
        return False
    if may_manage(actor, action) or can(actor, READ, action.region_path):
        return True
    return bool(actor.household_path) and actor.household_path.startswith(action.region_path)


def load_action(actor: Actor | None, action_id: int, *, manage: bool = False) -> Action:
    """The action if the caller may see it (404 otherwise); with ``manage`` they must also
    be able to organise it (403)."""
    if actor is None:
        raise Unauthorized()
    action = Action.get_or_none(Action.id == action_id)
    if action is None or not may_read(actor, action):
        raise NotFound("action.not_found", "找不到该活动")
    if manage and not may_manage(actor, action):
        raise Forbidden(details={"action": MANAGE})
    return action
