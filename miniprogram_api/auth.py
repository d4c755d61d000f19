"""Who is calling: resolve ``Authorization: Bearer …`` into an Actor, once per request.

``X-Linli-Grant`` narrows a staff caller to one of their grants (the console's role switcher).
"""

from __future__ import annotations

from flask import current_app, g, request

from app.accounts.tokens import resolve_token
from app.errors import Forbidden, Unauthorized
from app.policy import Actor


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_actor(*, required: bool = True, staff: bool = False) -> Actor | None:
    """The caller, or None for an anonymous call when ``required`` is False."""
    if "actor" not in g:
        token = bearer_token()
        if token is None:
            g.actor = None
        else:
            settings = current_app.config["LINLI_SETTINGS"]
            g.actor = resolve_token(token,
                                    idle_timeout_seconds=settings.staff_idle_timeout_seconds)
    actor = g.actor
    if actor is None:
        if required:
            raise Unauthorized()
        return None
    if staff:
        if actor.token_kind != "staff":
            raise Forbidden("auth.staff_only", "请使用工作人员账号登录管理后台")
        grant_header = request.headers.get("X-Linli-Grant")
        if grant_header:
            try:
                actor = actor.using_grant(int(grant_header))
            except ValueError as exc:
                raise Forbidden("auth.grant_not_held", "您没有这个角色授权") from exc
    return actor
