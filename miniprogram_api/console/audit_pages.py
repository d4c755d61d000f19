"""The audit log page for town admins (their town's subtree) and sysadmins: newest first,
filtered by action or object type. It reads ``app.audit.services.audit_query``, the call
behind ``/admin/api/v1/audit``, so every other role gets the 403 page and entries a reader may
not know of (reports, for one) are left out by the service's visibility rules."""

from __future__ import annotations

from flask import request as http
from flask import url_for

from app.accounts.models import ROLE_NAMES, User
from app.audit.models import AuditEntry
from app.audit.services import audit_query
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import render
from miniprogram_api.console.session import page
from miniprogram_api.pagination import page_of

PAGE_SIZE = 50
ROLES = ROLE_NAMES | {"system": "系统", "self": "本人"}


@bp.route("/audit")
@page
def audit_log(actor: Actor):
    action = (http.args.get("action") or "").strip()[:64] or None
    object_type = (http.args.get("object_type") or "").strip()[:32] or None
    query = audit_query(actor, action=action, object_type=object_type)
    result = page_of(query, AuditEntry.id, cursor=http.args.get("cursor"), limit=PAGE_SIZE)
    names = dict(User.select(User.id, User.display_name).where(User.id.in_(
        {e.actor_id for e in result.items if e.actor_id} or {0})).tuples())
    next_url = (url_for("console.audit_log", action=action, object_type=object_type,
                        cursor=result.next_cursor) if result.next_cursor else None)
    return render("console/audit/list.html", rows=result.items, names=names, roles=ROLES,
                  action=action or "", object_type=object_type or "", next_url=next_url)
