"""Who may do what with requests.

Role actions are scoped by region (a grid worker acts in their grid). Handling is not a role:
it belongs to the members of the unit the request is dispatched to (``is_handler``). Residents
act on their own requests only (``is_owner``).
"""

from __future__ import annotations

from app.errors import NotFound
from app.policy import Actor, can, register
from app.requests.models import Request, RequestFollower, RequestTask, UnitMember

FRONTLINE = {"grid_worker", "cadre", "town_admin"}

READ = register("request.read", FRONTLINE | {"sysadmin"})
ACCEPT = register("request.accept", FRONTLINE)
DISPATCH = register("request.dispatch", FRONTLINE)
ENTER = register("request.enter_on_behalf", FRONTLINE)
MERGE = register("request.merge", FRONTLINE)
MEDIATE = register("request.mediate", FRONTLINE)
VISIT = register("request.visit", FRONTLINE)
DECIDE_EXTENSION = register("request.decide_extension", {"cadre", "town_admin"})
FLAG = register("request.flag_hard", {"cadre", "town_admin"})
RELEASE_REVIEW = register("request.release_review", {"cadre", "town_admin"})
SUPERVISE = register("request.supervise", {"discipline_officer"})
CONFIGURE = register("request.configure", {"town_admin", "sysadmin"})
STATS = register("request.stats", {"cadre", "town_admin", "sysadmin", "discipline_officer"})


def is_owner(actor: Actor | None, request: Request) -> bool:
    return actor is not None and request.submitter_id == actor.user_id


def is_follower(actor: Actor | None, request: Request) -> bool:
    return actor is not None and RequestFollower.select().where(
        (RequestFollower.request == request.id) & (RequestFollower.user == actor.user_id)
    ).exists()


def unit_ids_of(actor: Actor | None) -> set[int]:
    if actor is None:
        return set()
    return {row[0] for row in UnitMember.select(UnitMember.unit)
            .where(UnitMember.user == actor.user_id).tuples()}


def is_handler(actor: Actor | None, request: Request) -> bool:
    """A member of the lead unit the request is currently dispatched to."""
    return request.lead_unit_id is not None and request.lead_unit_id in unit_ids_of(actor)


def can_read(actor: Actor | None, request: Request) -> bool:
    if actor is None:
        return False
    if is_owner(actor, request) or can(actor, READ, request.region_path):
        return True
    if request.escalation_level >= 4 and can(actor, SUPERVISE, request.region_path):
        return True
    if unit_ids_of(actor) & _task_unit_ids(request):
        return True
    return is_follower(actor, request)


def _task_unit_ids(request: Request) -> set[int]:
    return {row[0] for row in RequestTask.select(RequestTask.unit)
            .where(RequestTask.request == request.id).tuples()}


def load_readable(actor: Actor | None, request_id: int, *, for_update: bool = False) -> Request:
    """The request if the actor may see it; otherwise 404 (existence is not revealed)."""
    query = Request.select().where(Request.id == request_id)
    if for_update:
        query = query.for_update() if _supports_for_update() else query
    request = query.first()
    if request is None or not can_read(actor, request):
        raise NotFound("request.not_found", "找不到该诉求")
    return request


def _supports_for_update() -> bool:
    from app.db import is_postgres

    return is_postgres()



def _may_view_request_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    request = Request.get_or_none(Request.id == int(raw_id)) if raw_id.isdigit() else None
    return request is not None and can_read(actor, request)


def register_media_visibility() -> None:
    """Photos of a request (and of its resolution) are visible to whoever may read it."""
    from app.media.policies import register_visibility

    register_visibility("request", _may_view_request_media)
    register_visibility("request_resolution", _may_view_request_media)


register_media_visibility()
