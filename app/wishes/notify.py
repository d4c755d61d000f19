"""Notices caused by wish changes, written to the outbox in the caller's transaction.

Residents get a subscribe message (the community notice template) and always the in-app inbox;
staff get staff notices. Texts name the wish by its category and id, never a person.
"""

from __future__ import annotations

from app.accounts.models import RoleGrant
from app.clock import utcnow
from app.notifications.templates import wechat_time
from app.regions.rules import path_ids
from app.wishes import rules
from app.wishes.models import Wish


def _enqueue(**kwargs):
    from app.notifications.services import enqueue

    return enqueue(**kwargs)


def _title(wish: Wish) -> str:
    return f"微心愿·{rules.CATEGORY_NAMES.get(wish.category, '心愿')}"


def to_resident(wish: Wish, user_id: int | None, kind: str, body: str, *, dedupe: str) -> None:
    if user_id is None:
        return
    _enqueue(channel="subscribe", recipient_user_id=user_id, kind=kind, title=_title(wish),
             body=body, template_key="community_notice",
             data={"thing1": _title(wish), "time2": wechat_time(utcnow()), "thing3": body},
             page=f"pages/wishes/detail?id={wish.id}",
             dedupe_key=f"wish:{wish.id}:{dedupe}:user:{user_id}")


def to_staff(wish: Wish, roles: set[str], kind: str, body: str, *, dedupe: str) -> None:
    for user_id in staff_with_roles(wish, roles):
        _enqueue(channel="staff", recipient_user_id=user_id, kind=kind, title=_title(wish),
                 body=body, page=f"/console/wishes/{wish.id}",
                 dedupe_key=f"wish:{wish.id}:{dedupe}:user:{user_id}")


def staff_with_roles(wish: Wish, roles: set[str]) -> list[int]:
    """Users holding one of ``roles`` on the wish's household or any node above it."""
    return sorted(row[0] for row in RoleGrant.select(RoleGrant.user).where(
        RoleGrant.role.in_(sorted(roles)) & RoleGrant.region.in_(path_ids(wish.region_path))
        & RoleGrant.revoked_at.is_null()).distinct().tuples())
