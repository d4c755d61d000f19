"""Revealing a confidential reporter's identity: a written request, a second officer's
approval, then the reveal itself — each step audited and visible to the level above.

The requester is a handler of the report. The approver is another live recipient of the report
(a handler, the same level, or a supervisor, the level above); approving one's own request is
refused. Only the requester of an approved request may then reveal, and every reveal is an
audit entry of its own.
"""

from __future__ import annotations

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.policy import Actor, require_any_scope
from app.reports import notify, rules, sealing
from app.reports.handling import _open, audit, view
from app.reports.models import ReportRecipient, RevealRequest
from app.reports.policies import HANDLE, load_for_officer

REASON_MIN = 10


def request_reveal(actor: Actor | None, report_id: int, reason: str, *,
                   session_token: str | None) -> dict:
    """Ask, in writing, to see who made a confidential report. A handler with an unlocked key.

    Raises report.not_found, report.key_locked; InvalidInput report.reason_required;
    Conflict report.anonymous (no identity exists), report.reveal_pending. Creates the request
    (its reason encrypted), notifies the report's other officers, audits.
    """
    require_any_scope(actor, HANDLE)
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= rules.MESSAGE_MAX:
        raise InvalidInput("report.reason_required",
                           f"请写明申请理由（{REASON_MIN} 到 {rules.MESSAGE_MAX} 字）")
    now = utcnow()
    with database.atomic():
        report, me, key = _open(actor, report_id, session_token, levels=("handler",))
        if report.mode != "confidential" or report.identity_cipher is None:
            raise Conflict("report.anonymous", "匿名举报没有可查看的举报人身份")
        if (RevealRequest.select().where((RevealRequest.report == report.id)
                                         & (RevealRequest.status == "pending")).exists()):
            raise Conflict("report.reveal_pending", "已有待审批的申请")
        row = RevealRequest.create(report=report.id, requested_by=actor.user_id, created_at=now,
                                   reason_cipher=sealing.encrypt(key, "reveal_reason", reason))
        audit(actor, report, "report.reveal_request", {"reveal_id": row.id})
        others = [u for (u,) in ReportRecipient.select(ReportRecipient.user)
                  .where((ReportRecipient.report == report.id)
                         & ReportRecipient.recused_at.is_null()
                         & (ReportRecipient.user != actor.user_id)).tuples()]
        notify.notify_officers(report.id, others, f"reveal:{row.id}", now)
        return view(actor, report, me, key)


def decide_reveal(actor: Actor | None, report_id: int, reveal_id: int, *,
                  approve: bool) -> dict:
    """Approve or refuse a reveal request: a second officer of the same or a higher level.

    Another live recipient of the report (handler or supervisor). Raises report.not_found;
    NotFound report.reveal_not_found; Forbidden report.self_approval (the requester);
    Conflict report.reveal_decided. Audits the decision.
    """
    require_any_scope(actor, HANDLE)
    now = utcnow()
    with database.atomic():
        report, _ = load_for_officer(actor, report_id)
        row = RevealRequest.get_or_none((RevealRequest.id == reveal_id)
                                        & (RevealRequest.report == report.id))
        if row is None:
            raise NotFound("report.reveal_not_found", "找不到该申请")
        if row.requested_by_id == actor.user_id:
            raise Forbidden("report.self_approval",
                            "不能审批自己提出的申请，须由另一名纪检监察干部审批")
        status = "approved" if approve else "refused"
        won = (RevealRequest.update(status=status, decided_by=actor.user_id, decided_at=now)
               .where((RevealRequest.id == row.id) & (RevealRequest.status == "pending"))
               .execute())
        if won != 1:
            raise Conflict("report.reveal_decided", "该申请已经审批")
        audit(actor, report, f"report.reveal_{'approve' if approve else 'refuse'}",
              {"reveal_id": row.id})
        notify.notify_officers(report.id, [row.requested_by_id], f"reveal:{row.id}:{status}",
                               now)
    return {"id": row.id, "status": status, "decided_at": now}


def reveal_identity(actor: Actor | None, report_id: int, *,
                    session_token: str | None) -> dict:
    """The confidential reporter's identity, for the officer whose request was approved.

    Raises report.not_found, report.key_locked; Forbidden report.reveal_not_approved.
    Every call is audited (``report.reveal``).
    """
    require_any_scope(actor, HANDLE)
    with database.atomic():
        report, me, key = _open(actor, report_id, session_token, levels=("handler",))
        approved = (RevealRequest.select()
                    .where((RevealRequest.report == report.id)
                           & (RevealRequest.requested_by == actor.user_id)
                           & (RevealRequest.status == "approved")).first())
        if approved is None or report.identity_cipher is None:
            raise Forbidden("report.reveal_not_approved",
                            "查看举报人身份须经另一名纪检监察干部批准")
        identity = sealing.decrypt(key, "identity", report.identity_cipher)
        audit(actor, report, "report.reveal", {"reveal_id": approved.id})
    return {"user_id": identity["user_id"], "name": identity["name"],
            "phone": identity["phone"], "reveal_id": approved.id}

