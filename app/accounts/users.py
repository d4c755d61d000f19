"""Staff lookup of people: list and search the users of one's scope.

A user is in a staff member's scope when their household lies inside one of the staff
member's grants, or when they hold a live role grant there (the staff of that village). Staff
only ever see the masked phone: rendering picks fields explicitly, never the cipher.
"""

from __future__ import annotations

import peewee

from app.accounts import services as accounts
from app.accounts.models import RoleGrant, User
from app.accounts.policies import USER_READ
from app.policy import Actor, require_any_scope
from app.regions import rules as region_rules
from app.regions import services as regions
from app.regions.models import Region


def users_in_scope(actor: Actor | None, *, phone: str | None = None,
                   region_id: int | None = None):
    """People in the caller's scope, optionally narrowed to a region or an exact phone.

    Grid workers, cadres, town admins and sysadmins (``user.read``). Raises Unauthorized /
    Forbidden; InvalidInput phone.invalid for a malformed phone; NotFound region.not_found.
    Returns an unevaluated query of users (household joined, possibly None) for keyset paging
    by ``User.id``. A phone outside the scope gives an empty result, not an error, so the
    lookup cannot probe who has an account elsewhere. Changes nothing.
    """
    paths = require_any_scope(actor, USER_READ)
    if region_id is not None:
        paths = _narrow(paths, regions.path_of(region_id))
    household = Region.alias()
    query = (User.select(User, household)
             .join(household, peewee.JOIN.LEFT_OUTER, on=(User.household == household.id)))
    if not paths:
        return query.where(User.id.in_([]))
    grant_region = Region.alias()
    staff_here = (RoleGrant.select(RoleGrant.user)
                  .join(grant_region, on=(RoleGrant.region == grant_region.id))
                  .where(RoleGrant.revoked_at.is_null() & _any_subtree(grant_region.path, paths)))
    query = query.where(_any_subtree(household.path, paths) | User.id.in_(staff_here))
    if phone is not None:
        found = accounts.find_user_by_phone(phone)
        query = query.where(User.id == (found.id if found else 0))
    return query


def _any_subtree(column: peewee.Field, paths: list[str]) -> peewee.Expression:
    cond = None
    for path in paths:
        part = regions.in_subtree(column, path)
        cond = part if cond is None else (cond | part)
    return cond


def _narrow(scope: list[str], path: str) -> list[str]:
    """The part of ``scope`` inside the subtree at ``path``."""
    if any(region_rules.contains(outer, path) for outer in scope):
        return [path]
    return [inner for inner in scope if region_rules.contains(path, inner)]
