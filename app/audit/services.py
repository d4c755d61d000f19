"""Recording and reading the audit log.

:func:`record` runs inside the caller's transaction (it never opens or commits one), so an audit
entry exists exactly when the write it describes does.
"""

from __future__ import annotations

import json

from app.accounts.policies import AUDIT_READ
from app.audit.models import AuditEntry
from app.policy import Actor, Grant, require_any_scope
from app.regions.services import in_subtree

# object_type -> function(actor) giving the object ids of that type the actor may see (a query
# or a list). Entries of a registered type are shown only for those ids; see register_visibility.
_VISIBILITY: dict = {}


def record(*, actor: Actor | None, grant: Grant | None, action: str, object_type: str,
           object_id, region_path: str = "/", region_id: int | None = None,
           summary: dict | str = "") -> AuditEntry:
    """Append one entry. ``summary`` must carry no personal data (ids and codes only)."""
    text = summary if isinstance(summary, str) else json.dumps(summary, ensure_ascii=False,
                                                               sort_keys=True)
    return AuditEntry.create(
        actor_id=actor.user_id if actor else None,
        actor_role=grant.role if grant else ("system" if actor is None else "self"),
        action=action, object_type=object_type, object_id=str(object_id),
        region_id=region_id if region_id is not None else (grant.region_id if grant else None),
        region_path=region_path, summary=text)


def register_visibility(object_type: str, visible_ids) -> None:
    """Hide a feature's entries from audit readers who may not know the objects exist.

    ``visible_ids(actor)`` returns the ids (as text, like ``object_id``) of ``object_type`` whose
    entries the actor may see; :func:`audit_query` leaves out every other entry of that type.
    """
    _VISIBILITY[object_type] = visible_ids


def audit_query(actor: Actor, *, action: str | None = None, object_type: str | None = None,
                object_id: str | None = None, actor_id: int | None = None):
    """Entries visible to a town admin (their subtree) or sysadmin, newest first by the caller.

    Raises Forbidden for every other role. Returns an unevaluated query for keyset paging.
    """
    paths = require_any_scope(actor, AUDIT_READ)
    cond = None
    for path in paths:
        part = in_subtree(AuditEntry.region_path, path)
        cond = part if cond is None else (cond | part)
    query = AuditEntry.select().where(cond)
    for hidden_type, visible_ids in _VISIBILITY.items():
        query = query.where((AuditEntry.object_type != hidden_type)
                            | AuditEntry.object_id.in_(visible_ids(actor)))
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    return query
