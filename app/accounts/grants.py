"""Role grants and person flags, set by staff; and the console's region browser.

A sysadmin grants and revokes staff roles, only inside their own grant's region. The
"resident" role is never granted here: it follows from an approved household binding
(``bindings.py``). Grid workers and cadres mark the residents of their scope as volunteers or
party members; a sysadmin may do so too.
"""

from __future__ import annotations

from app.accounts.models import ROLES, RoleGrant, User
from app.accounts.policies import REGION_READ, ROLE_GRANT, USER_SET_FLAGS
from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, Grant, authorize, find_grant, require_any_scope
from app.regions import services as regions
from app.regions.models import Region

FLAGS = ("is_volunteer", "is_party_member")


def grant_role(actor: Actor | None, *, user_id: int, role: str, region_id: int) -> RoleGrant:
    """Give ``user_id`` the staff ``role`` over the region ``region_id`` and all below it.

    A sysadmin, for a region inside their own grant. Raises Unauthorized / Forbidden (not a
    sysadmin, or the region lies outside their scope); InvalidInput grant.bad_role,
    grant.resident_from_binding, grant.bad_region (no such region); NotFound user.not_found;
    Conflict grant.exists (the same live grant already exists). Creates one role grant.
    """
    require_any_scope(actor, ROLE_GRANT)
    if role == "resident":
        raise InvalidInput("grant.resident_from_binding", "居民身份只能通过住户绑定获得")
    if role not in ROLES:
        raise InvalidInput("grant.bad_role", "未知的角色")
    with database.atomic():
        region = Region.get_or_none(Region.id == region_id)
        if region is None:
            raise InvalidInput("grant.bad_region", "找不到该区域")
        mine = authorize(actor, ROLE_GRANT, region.path)
        if not User.select().where(User.id == user_id).exists():
            raise NotFound("user.not_found", "找不到该用户")
        if (RoleGrant.select()
                .where((RoleGrant.user == user_id) & (RoleGrant.role == role)
                       & (RoleGrant.region == region.id) & RoleGrant.revoked_at.is_null())
                .exists()):
            raise Conflict("grant.exists", "该用户在这个区域已有这个角色")
        new = RoleGrant.create(user=user_id, role=role, region=region, granted_by=actor.user_id)
        record(actor=actor, grant=mine, action="grant.create", object_type="role_grant",
               object_id=new.id, region_path=region.path, region_id=region.id,
               summary={"user_id": user_id, "role": role})
    return new


def revoke_grant(actor: Actor | None, grant_id: int) -> RoleGrant:
    """End a live role grant; the row stays as history with ``revoked_at`` set.

    A sysadmin whose grant covers the grant's region. Raises Unauthorized / Forbidden (not a
    sysadmin); NotFound grant.not_found (missing or outside the caller's scope); Conflict
    grant.resident_from_binding (resident grants end with their binding), grant.own_grant
    (a sysadmin cannot lock themselves out), grant.already_revoked.
    """
    require_any_scope(actor, ROLE_GRANT)
    with database.atomic():
        row = (RoleGrant.select(RoleGrant, Region).join(Region)
               .where(RoleGrant.id == grant_id).first())
        mine = find_grant(actor, ROLE_GRANT, row.region.path) if row else None
        if mine is None:
            raise NotFound("grant.not_found", "找不到该授权")
        if row.role == "resident":
            raise Conflict("grant.resident_from_binding", "居民身份随住户绑定变更，不能单独撤销")
        if row.user_id == actor.user_id:
            raise Conflict("grant.own_grant", "不能撤销自己的授权，请联系其他管理员")
        count = (RoleGrant.update(revoked_at=utcnow())
                 .where((RoleGrant.id == row.id) & RoleGrant.revoked_at.is_null()).execute())
        if count == 0:
            raise Conflict("grant.already_revoked", "该授权已经撤销")
        record(actor=actor, grant=mine, action="grant.revoke", object_type="role_grant",
               object_id=row.id, region_path=row.region.path, region_id=row.region.id,
               summary={"user_id": row.user_id, "role": row.role})
    return (RoleGrant.select(RoleGrant, Region).join(Region)
            .where(RoleGrant.id == row.id).get())


def set_flags(actor: Actor | None, user_id: int, *, is_volunteer: bool | None = None,
              is_party_member: bool | None = None) -> User:
    """Set or unset the volunteer / party-member flags of a person.

    A grid worker or cadre whose grant covers the person's household, or a sysadmin (also for
    people not bound to a household). Raises Unauthorized / Forbidden (no such role at all);
    InvalidInput user.no_flags (nothing to change); NotFound user.not_found (missing or out
    of scope). Changes only the given flags.
    """
    require_any_scope(actor, USER_SET_FLAGS)
    changes = {name: value for name, value in (("is_volunteer", is_volunteer),
                                                ("is_party_member", is_party_member))
               if value is not None}
    if not changes:
        raise InvalidInput("user.no_flags", "请至少选择一项要修改的身份")
    with database.atomic():
        user = User.get_or_none(User.id == user_id)
        mine = _flag_grant(actor, user) if user is not None else None
        if mine is None:
            raise NotFound("user.not_found", "找不到该用户")
        User.update(**changes).where(User.id == user.id).execute()
        path = regions.path_of(user.household_id) if user.household_id else mine.region_path
        record(actor=actor, grant=mine, action="user.set_flags", object_type="user",
               object_id=user.id, region_path=path, region_id=user.household_id,
               summary=changes)
    return User.get_by_id(user.id)


def _flag_grant(actor: Actor, user: User) -> Grant | None:
    if user.household_id is not None:
        return find_grant(actor, USER_SET_FLAGS, regions.path_of(user.household_id))
    # Someone not bound to any household lies in no village: only a sysadmin may mark them.
    return next((g for g in actor.grants if g.role == "sysadmin"), None)


def region_overview(actor: Actor | None, region_id: int, *, after_id: int = 0,
                    limit: int = 50) -> dict:
    """A region node with its ancestors and a page of its children (ascending id).

    Any staff role whose grant covers the node (used to pick where to grant a role). Raises
    Unauthorized / Forbidden, NotFound region.not_found. Changes nothing. ``has_more`` says
    whether children after the last one returned exist.
    """
    require_any_scope(actor, REGION_READ)
    region = regions.get_region(region_id)
    authorize(actor, REGION_READ, region.path)
    children = regions.children(region.id, after_id=after_id, limit=limit + 1)
    return {
        "id": region.id, "code": region.code, "name": region.name, "level": region.level,
        "parent_id": region.parent_id,
        "ancestors": regions.ancestors(region)[:-1],
        "children": children[:limit],
        "has_more": len(children) > limit,
    }
