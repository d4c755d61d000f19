"""Notices caused by request changes, written to the outbox in the caller's transaction.

Residents get a subscribe message (and always the in-app inbox); staff get staff notices.
Texts are plain Chinese and carry the tracking number, never the resident's personal data.
"""

from __future__ import annotations

from app.accounts.models import RoleGrant
from app.regions.rules import path_ids
from app.requests import rules
from app.requests.models import Request, UnitMember


def _enqueue(**kwargs):
    from app.notifications.services import enqueue

    return enqueue(**kwargs)


def to_resident(request: Request, kind: str, body: str, *, dedupe: str) -> None:
    _enqueue(
        channel="subscribe", recipient_user_id=request.submitter_id, kind=kind,
        title=f"诉求 {request.tracking_no}", body=body, template_key="request_progress",
        data={"character_string1": request.tracking_no,
              "phrase2": rules.STATE_NAMES.get(request.status, request.status),
              "thing3": body},
        page=f"pages/requests/detail?id={request.id}",
        dedupe_key=f"request:{request.id}:{dedupe}:user:{request.submitter_id}")


def to_users(request: Request, user_ids, kind: str, body: str, *, dedupe: str) -> None:
    for user_id in sorted(set(user_ids)):
        _enqueue(channel="staff", recipient_user_id=user_id, kind=kind,
                 title=f"诉求 {request.tracking_no}", body=body,
                 page=f"/console/requests/{request.id}",
                 dedupe_key=f"request:{request.id}:{dedupe}:user:{user_id}")


def staff_with_roles(request: Request, roles: set[str]) -> list[int]:
    """Users holding one of ``roles`` on the request's region or any ancestor of it."""
    ancestors = path_ids(request.region_path)
    return [row[0] for row in RoleGrant.select(RoleGrant.user).where(
        RoleGrant.role.in_(sorted(roles)) & RoleGrant.region.in_(ancestors)
        & RoleGrant.revoked_at.is_null()).distinct().tuples()]


def unit_members(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    return [row[0] for row in UnitMember.select(UnitMember.user)
            .where(UnitMember.unit == unit_id).tuples()]
