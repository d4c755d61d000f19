"""Who may do what where: one table of actions → roles, checked against region scope.

Every service calls :func:`authorize` (or :func:`scope_paths` for lists) as its first line. A
grant covers its region node and everything below it. Feature packages add their actions with
:func:`register` in their own ``policies.py``; owner rules ("a resident sees their own request")
live there too, beside the feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import Forbidden, Unauthorized
from app.regions import rules as region_rules

STAFF_ROLES = frozenset({
    "grid_worker", "cadre", "finance_panel", "supervision_committee",
    "discipline_officer", "town_admin", "sysadmin",
})

_PERMISSIONS: dict[str, frozenset[str]] = {}


def register(action: str, roles: set[str] | frozenset[str]) -> str:
    """Declare which roles may perform ``action`` (within their grant's scope)."""
    _PERMISSIONS[action] = frozenset(roles)
    return action


def roles_for(action: str) -> frozenset[str]:
    try:
        return _PERMISSIONS[action]
    except KeyError as exc:  # a typo in an action name must fail loudly, never allow
        raise KeyError(f"unknown action {action!r}") from exc


@dataclass(frozen=True)
class Grant:
    id: int
    role: str
    region_id: int
    region_path: str


@dataclass(frozen=True)
class Actor:
    """The caller as services see it: the user and the grants that are active for this call."""

    user_id: int
    grants: tuple[Grant, ...] = ()
    household_id: int | None = None
    household_path: str | None = None
    is_volunteer: bool = False
    is_party_member: bool = False
    token_kind: str = "miniprogram"
    roles: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(g.role for g in self.grants))

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_resident(self) -> bool:
        return self.household_id is not None

    def using_grant(self, grant_id: int | None) -> Actor:
        """The same actor narrowed to one grant (the console's role and scope switcher)."""
        if grant_id is None:
            return self
        chosen = tuple(g for g in self.grants if g.id == grant_id)
        if not chosen:
            raise Forbidden("auth.grant_not_held", "您没有这个角色授权")
        return Actor(self.user_id, chosen, self.household_id, self.household_path,
                     self.is_volunteer, self.is_party_member, self.token_kind)


def find_grant(actor: Actor | None, action: str, region_path: str) -> Grant | None:
    """The first of the actor's grants that allows ``action`` on a node at ``region_path``."""
    if actor is None:
        return None
    allowed = roles_for(action)
    for grant in actor.grants:
        if grant.role in allowed and region_rules.contains(grant.region_path, region_path):
            return grant
    return None


def can(actor: Actor | None, action: str, region_path: str) -> bool:
    return find_grant(actor, action, region_path) is not None


def authorize(actor: Actor | None, action: str, region_path: str) -> Grant:
    """Return the grant that allows the action, or raise Unauthorized / Forbidden."""
    if actor is None:
        raise Unauthorized()
    grant = find_grant(actor, action, region_path)
    if grant is None:
        raise Forbidden(details={"action": action})
    return grant


def scope_paths(actor: Actor | None, action: str) -> list[str]:
    """Region paths under which the actor may perform ``action`` (for filtering lists).

    Nested grants are collapsed: a path already covered by a shorter one is dropped.
    """
    if actor is None:
        return []
    allowed = roles_for(action)
    paths = sorted({g.region_path for g in actor.grants if g.role in allowed}, key=len)
    kept: list[str] = []
    for path in paths:
        if not any(region_rules.contains(k, path) for k in kept):
            kept.append(path)
    return kept


def require_any_scope(actor: Actor | None, action: str) -> list[str]:
    """Like :func:`scope_paths` but raises when the actor has no scope at all for ``action``."""
    if actor is None:
        raise Unauthorized()
    paths = scope_paths(actor, action)
    if not paths:
        raise Forbidden(details={"action": action})
    return paths
