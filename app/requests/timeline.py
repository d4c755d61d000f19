"""Writing state changes: one conditional update plus one timeline entry, always together.

``apply_action`` is the only place a request's status changes. It runs inside the caller's
transaction and uses the row's ``version`` so two staff acting at once cannot both win.
"""

from __future__ import annotations

import json

from app.clock import utcnow
from app.errors import Conflict
from app.policy import Actor, Grant
from app.requests import rules
from app.requests.models import Request, TimelineEntry


def role_label(actor: Actor | None, grant: Grant | None, fallback: str) -> str:
    if grant is not None:
        return grant.role
    return fallback if actor is not None else "system"


def add_entry(request: Request, *, actor: Actor | None, role: str, action: str,
              from_status: str | None, to_status: str | None, note: str = "",
              public: bool = True, details: dict | None = None, label: str | None = None,
              at=None) -> TimelineEntry:
    return TimelineEntry.create(
        request=request.id, at=at or utcnow(), actor_id=actor.user_id if actor else None,
        actor_role=role, action=action, from_status=from_status, to_status=to_status,
        label=label or rules.TRANSITIONS[action].label, note=note, public=public,
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True))


def apply_action(request: Request, action: str, *, actor: Actor | None, role: str,
                 note: str = "", public: bool = True, details: dict | None = None,
                 changes: dict | None = None, now=None, label: str | None = None) -> Request:
    """Move ``request`` by ``action`` (raising request.illegal_transition), save ``changes``
    and the new status with an optimistic version check, and append the timeline entry."""
    now = now or utcnow()
    target = rules.next_state(request.status, action)
    values = dict(changes or {})
    values["status"] = target
    values["version"] = request.version + 1
    updated = (Request.update({getattr(Request, k): v for k, v in values.items()})
               .where((Request.id == request.id) & (Request.version == request.version))
               .execute())
    if updated != 1:
        raise Conflict("request.changed", "该诉求刚被其他人处理过，请刷新后再试")
    previous = request.status
    for key, value in values.items():
        setattr(request, key, value)
    add_entry(request, actor=actor, role=role, action=action, from_status=previous,
              to_status=target, note=note, public=public, details=details, at=now,
              label=label)
    return request
