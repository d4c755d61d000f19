"""The audit log page for town admins (their town's subtree) and sysadmins: newest first,
filtered by action or object type. It reads ``app.audit.services.audit_query``, the call
behind ``/admin/api/v1/audit``, so every other role gets the 403 page and entries a reader may
not know of (reports, for one) are left out by the service's visibility rules."""

from __future__ import annotations

from flask import request as http

from app.accounts.models import ROLE_NAMES, User
from app.audit.models import AuditEntry
from app.audit.services import audit_query
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import keyset_page, render
from miniprogram_api.console.session import page

PAGE_SIZE = 50
ROLES = ROLE_NAMES | {"system": "系统", "self": "本人"}


@bp.route("/audit")
@page
def audit_log(actor: Actor):
    action = (http.args.get("action") or "").strip()[:64] or None
    object_type = (http.args.get("object_type") or "").strip()[:32] or None
    query = audit_query(actor, action=action, object_type=object_type)
    rows, next_url = keyset_page(query, AuditEntry.id, "console.audit_log", limit=PAGE_SIZE,
                                 action=action, object_type=object_type)
    names = dict(User.select(User.id, User.display_name).where(User.id.in_(
        {e.actor_id for e in rows if e.actor_id} or {0})).tuples())
    return render("console/audit/list.html", rows=rows, names=names, roles=ROLES,
                  action=action or "", object_type=object_type or "", next_url=next_url)
