"""用户与角色: the people in the caller's scope (phones masked), one person's role grants,
the forms to grant or revoke a role and to set the volunteer / party-member flags. Reads go
through ``app.accounts.users.users_in_scope``, changes through ``app.accounts.grants``
(``grant_role``, ``revoke_grant``, ``set_flags``) — the calls behind ``/admin/api/v1/users``
and ``/admin/api/v1/grants``. Listing is for everyone the service admits (``user.read``: grid
workers, cadres, town admins, sysadmins); the grant and revoke forms are offered only to
sysadmins (``user.grant_role``), whose service refuses the rest; the flags form to grid
workers, cadres and sysadmins (``user.set_flags``)."""

from __future__ import annotations

from flask import request as http
from flask import url_for

from app.accounts import grants, users
from app.accounts.models import ROLE_NAMES, ROLES, RoleGrant, User
from app.accounts.policies import ROLE_GRANT, USER_READ, USER_SET_FLAGS
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, scope_paths
from app.regions.models import Region
from app.supervision.places import scope_condition
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, perform, render
from miniprogram_api.console.session import page
from miniprogram_api.pagination import page_of

PAGE_SIZE = 30
# Levels a staff role may be granted over (households carry only the resident role).
GRANT_LEVELS = ("district", "town", "village", "grid")
STAFF_ROLE_NAMES = {role: ROLE_NAMES[role] for role in ROLES if role != "resident"}


@bp.app_template_filter("role_name")
def _role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


@bp.route("/users")
@page
def user_list(actor: Actor):
    phone = (http.args.get("phone") or "").strip()[:20] or None
    error = None
    try:
        query = users.users_in_scope(actor, phone=phone)
        result = page_of(query, User.id, cursor=http.args.get("cursor"), limit=PAGE_SIZE)
    except (Unauthorized, Forbidden, NotFound):
        raise
    except DomainError as exc:  # a malformed phone: say so above an empty list
        error, result = exc.message, None
    rows = result.items if result else []
    next_url = (url_for("console.user_list", cursor=result.next_cursor)
                if result and result.next_cursor and not phone else None)
    return render("console/users/list.html", rows=rows, next_url=next_url, phone=phone or "",
                  error=error, roles=_live_roles(actor, [u.id for u in rows]))


@bp.route("/users/<int:user_id>")
@page
def user_detail(actor: Actor, user_id: int):
    user = users.users_in_scope(actor).where(User.id == user_id).first()
    if user is None:
        raise NotFound("user.not_found", "找不到该用户")
    manage = bool(scope_paths(actor, ROLE_GRANT))
    flags = bool(scope_paths(actor, USER_SET_FLAGS))
    return render("console/users/detail.html", u=user, grants=_live_grants(actor, user.id),
                  manage=manage, flags=flags, role_names=STAFF_ROLE_NAMES,
                  places=_grantable_places(actor) if manage else [])


@bp.route("/users/<int:user_id>/grants", methods=["POST"])
@page
def user_grant(actor: Actor, user_id: int):
    return perform(lambda: grants.grant_role(actor, user_id=user_id, role=form_text("role", 32),
                                             region_id=form_int("region_id") or 0),
                   back=url_for("console.user_detail", user_id=user_id), done="已授予角色")


@bp.route("/users/<int:user_id>/flags", methods=["POST"])
@page
def user_flags(actor: Actor, user_id: int):
    """Set the volunteer / party-member flags (``grants.set_flags``): each select is 是/否."""
    def flag(name: str) -> bool | None:
        value = form_text(name, 8)
        return {"yes": True, "no": False}.get(value)

    return perform(lambda: grants.set_flags(actor, user_id, is_volunteer=flag("is_volunteer"),
                                            is_party_member=flag("is_party_member")),
                   back=url_for("console.user_detail", user_id=user_id), done="身份已更新")


@bp.route("/grants/<int:grant_id>/revoke", methods=["POST"])
@page
def grant_revoke(actor: Actor, grant_id: int):
    row = RoleGrant.get_or_none(RoleGrant.id == grant_id)
    back = (url_for("console.user_detail", user_id=row.user_id) if row
            else url_for("console.user_list"))
    return perform(lambda: grants.revoke_grant(actor, grant_id), back=back, done="已撤销授权")


def _live_grants(actor: Actor, user_id: int) -> list[RoleGrant]:
    """The person's live grants inside the caller's reading scope (grants elsewhere are not
    the caller's business)."""
    paths = scope_paths(actor, USER_READ)
    return list(RoleGrant.select(RoleGrant, Region).join(Region)
                .where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null()
                       & scope_condition(paths, Region.path))
                .order_by(RoleGrant.id))


def _live_roles(actor: Actor, user_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if user_ids:
        paths = scope_paths(actor, USER_READ)
        for row in (RoleGrant.select(RoleGrant.user, RoleGrant.role).join(Region)
                    .where(RoleGrant.user.in_(user_ids) & RoleGrant.revoked_at.is_null()
                           & scope_condition(paths, Region.path))
                    .order_by(RoleGrant.id)):
            found.setdefault(row.user_id, []).append(ROLE_NAMES.get(row.role, row.role))
    return found


def _grantable_places(actor: Actor) -> list[Region]:
    """Regions above households inside the caller's ``user.grant_role`` scope, for the form."""
    paths = scope_paths(actor, ROLE_GRANT)
    return list(Region.select().where(Region.level.in_(GRANT_LEVELS)
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(500))
