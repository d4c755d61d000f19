"""The officers' side: the queue, reading a report, the workflow, notes, messages, recusal and
the report's own audit trail.

Every service checks the officer role first, then loads the report through
``policies.load_for_officer`` (``report.not_found`` for everyone else), then needs the caller's
unlocked key (``keys.report_key``) to read or write anything encrypted. Each read is audited
(``report.read``), as is every change; the audit is visible to the report's recipients, the
level above included.
"""

from __future__ import annotations

import datetime as dt

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.audit.services import record
from app.calendar.services import load_calendar
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, find_grant, require_any_scope
from app.regions.models import Region
from app.reports import keys, notify, policies, recipients, rules, sealing, setup
from app.reports.models import (
    Report,
    ReportAttachment,
    ReportMessage,
    ReportRecipient,
    RevealRequest,
)
from app.reports.policies import AUDIT_OBJECT, HANDLE, load_for_officer

QUEUES = ("open", "overdue", "closed", "all")


def audit(actor: Actor, report: Report, action: str, summary: dict | None = None) -> None:
    record(actor=actor, grant=find_grant(actor, HANDLE, report.handling_path), action=action,
           object_type=AUDIT_OBJECT, object_id=report.id, region_path=report.handling_path,
           region_id=report.handling_region_id, summary=summary or {})


def queue_query(actor: Actor | None, queue: str = "open", now: dt.datetime | None = None):
    """The reports the caller handles or supervises (metadata only), for keyset paging.

    A discipline officer; only reports routed to them, never one they are excluded from.
    Raises Unauthorized / Forbidden; InvalidInput report.bad_queue. Changes nothing.
    """
    require_any_scope(actor, HANDLE)
    if queue not in QUEUES:
        raise InvalidInput("report.bad_queue", "未知的队列")
    query = Report.select().where(policies.visible_condition(actor)
                                  & Report.destroyed_at.is_null())
    closed = sorted(rules.CLOSED)
    if queue == "open":
        query = query.where(Report.status.not_in(closed))
    elif queue == "overdue":
        query = query.where(Report.status.not_in(closed)
                            & (Report.stage_deadline <= (now or utcnow())))
    elif queue == "closed":
        query = query.where(Report.status.in_(closed))
    return query


def present_queue(actor: Actor, rows: list[Report], now: dt.datetime | None = None) -> list[dict]:
    """Queue items with the village name and the caller's level (two queries per page)."""
    now = now or utcnow()
    ids = [r.id for r in rows]
    mine = {r.report_id: r for r in ReportRecipient.select()
            .where(ReportRecipient.report.in_(ids or [0])
                   & (ReportRecipient.user == actor.user_id))}
    names = dict(Region.select(Region.id, Region.name)
                 .where(Region.id.in_({r.village_id for r in rows} or {0})).tuples())
    return [{"id": r.id, "mode": r.mode, "status": r.status,
             "status_name": rules.STATE_NAMES[r.status], "village_name": names.get(r.village_id),
             "elevated": r.elevated, "created_at": r.created_at,
             "stage_deadline": r.stage_deadline,
             "overdue": r.status not in rules.CLOSED and r.stage_deadline is not None
             and r.stage_deadline <= now,
             "my_level": mine[r.id].level if r.id in mine else None,
             "key_ready": r.id in mine and mine[r.id].sealed_key is not None} for r in rows]


def _names(user_ids) -> dict[int, str]:
    ids = sorted({u for u in user_ids if u is not None})
    return dict(User.select(User.id, User.display_name).where(User.id.in_(ids or [0])).tuples())


def view(actor: Actor, report: Report, me: ReportRecipient, key: bytes) -> dict:
    """The report as an officer sees it: decrypted body, thread, reveal requests, recipients."""
    body = sealing.decrypt(key, "body", report.body_cipher)
    messages = list(ReportMessage.select().where(ReportMessage.report == report.id)
                    .order_by(ReportMessage.id).limit(1000))
    reveals = list(RevealRequest.select().where(RevealRequest.report == report.id)
                   .order_by(RevealRequest.id))
    people = list(ReportRecipient.select().where(ReportRecipient.report == report.id)
                  .order_by(ReportRecipient.id))
    names = _names([m.author_id for m in messages] + [r.requested_by_id for r in reveals]
                   + [r.decided_by_id for r in reveals] + [p.user_id for p in people]
                   + [body.get("accused_user_id")])
    village = Region.get_by_id(report.village_id)
    accused_id = body.get("accused_user_id")
    return {
        "id": report.id, "mode": report.mode, "status": report.status,
        "status_name": rules.STATE_NAMES[report.status],
        "village": {"id": village.id, "name": village.name}, "elevated": report.elevated,
        "created_at": report.created_at, "stage_deadline": report.stage_deadline,
        "retention_days": report.retention_days, "purge_after": report.purge_after,
        "my_level": me.level,
        "text": body["text"],
        "accused": {"user_id": accused_id, "user_name": names.get(accused_id),
                    "name": body.get("accused_name", ""),
                    "office": body.get("accused_office", ""), "role": body.get("accused_role")},
        "messages": [{"id": m.id, "kind": m.kind, "side": m.side, "created_at": m.created_at,
                      "author_name": names.get(m.author_id),
                      "text": sealing.decrypt(key, "message", m.body_cipher)}
                     for m in messages],
        "attachments": [{"id": a.id, "mime": a.mime, "created_at": a.created_at}
                        for a in ReportAttachment.select(ReportAttachment.id,
                                                         ReportAttachment.mime,
                                                         ReportAttachment.created_at)
                        .where(ReportAttachment.report == report.id)
                        .order_by(ReportAttachment.id)],
        "reveal_requests": [{"id": r.id, "status": r.status, "created_at": r.created_at,
                             "requested_by": names.get(r.requested_by_id),
                             "requested_by_id": r.requested_by_id,
                             "decided_by": names.get(r.decided_by_id),
                             "decided_at": r.decided_at,
                             "reason": sealing.decrypt(key, "reveal_reason", r.reason_cipher)
                             if r.reason_cipher else ""} for r in reveals],
        "recipients": [{"user_id": p.user_id, "name": names.get(p.user_id), "level": p.level,
                        "recused": p.recused_at is not None,
                        "key_ready": p.sealed_key is not None} for p in people],
        "allowed_transitions": list(rules.TRANSITIONS[report.status])
        if me.level == "handler" else [],
    }


def _open(actor: Actor, report_id: int, session_token: str | None,
          levels=("handler", "supervisor")) -> tuple[Report, ReportRecipient, bytes]:
    report, me = load_for_officer(actor, report_id, levels=levels)
    return report, me, keys.report_key(actor, me, session_token)


def read_report(actor: Actor | None, report_id: int, *, session_token: str | None) -> dict:
    """Open a report: a live, non-excluded recipient with an unlocked key.

    Raises Unauthorized / Forbidden (not an officer); NotFound report.not_found (anyone else);
    Forbidden report.key_locked; Conflict report.key_pending. Audits the read and brings the
    report's recipients up to date.
    """
    require_any_scope(actor, HANDLE)
    with database.atomic():
        report, me, key = _open(actor, report_id, session_token)
        body = sealing.decrypt(key, "body", report.body_cipher)
        recipients.sync(report, key, body.get("accused_user_id"), utcnow())
        audit(actor, report, "report.read")
        return view(actor, report, me, key)


def transition_report(actor: Actor | None, report_id: int, *, to: str, text: str = "",
                      session_token: str | None) -> dict:
    """Move a report along received → accepted / not_accepted → preliminary_check → handling →
    concluded. A reason (not accepted) or conclusion (concluded) is required and goes to the
    reporter; other texts become internal notes.

    A handler (not a supervisor). Raises report.not_found, report.key_locked,
    Conflict report.illegal_transition / report.changed, InvalidInput report.text_required.
    Sets the next stage's deadline in working days; closing sets the destruction date.
    """
    require_any_scope(actor, HANDLE)
    text = (text or "").strip()[:rules.MESSAGE_MAX]
    now = utcnow()
    with database.atomic():
        report, me, key = _open(actor, report_id, session_token, levels=("handler",))
        if not rules.can_transition(report.status, to):
            raise Conflict("report.illegal_transition", "当前状态不能进行这一步")
        kind = rules.TEXT_TO_REPORTER.get(to)
        if kind and not text:
            raise InvalidInput("report.text_required", "请填写告知举报人的理由或结论")
        deadline = (None if to in rules.CLOSED
                    else load_calendar().deadline_after(now, rules.STAGE_DAYS[to]))
        changes = {"status": to, "stage_deadline": deadline, "escalation_level": 0,
                   "next_due_at": rules.next_due(rules.LEVEL_NONE, deadline),
                   "version": Report.version + 1}
        if report.status == "received":
            changes["decided_at"] = now
        if to in rules.CLOSED:
            days = setup.retention_days_for(report.handling_region_id)
            changes.update(closed_at=now, retention_days=days,
                           purge_after=now + dt.timedelta(days=days))
        won = (Report.update(**changes)
               .where((Report.id == report.id) & (Report.version == report.version)).execute())
        if won != 1:
            raise Conflict("report.changed", "举报状态已被他人更新，请刷新")
        if text:
            ReportMessage.create(report=report.id, kind=kind or "note", side="officer",
                                 author=actor.user_id, created_at=now,
                                 body_cipher=sealing.encrypt(key, "message", text))
        audit(actor, report, "report.transition", {"from": report.status, "to": to})
        return view(actor, Report.get_by_id(report.id), me, key)


def _write(actor: Actor | None, report_id: int, text: str, session_token: str | None, *,
           kind: str, levels) -> dict:
    require_any_scope(actor, HANDLE)
    text = (text or "").strip()
    if not 1 <= len(text) <= rules.MESSAGE_MAX:
        raise InvalidInput("report.text_length", f"内容应为 1 到 {rules.MESSAGE_MAX} 个字")
    now = utcnow()
    with database.atomic():
        report, me, key = _open(actor, report_id, session_token, levels=levels)
        if kind == "message" and report.status in rules.CLOSED:
            raise Conflict("report.closed", "该举报已办结")
        message = ReportMessage.create(report=report.id, kind=kind, side="officer",
                                       author=actor.user_id, created_at=now,
                                       body_cipher=sealing.encrypt(key, "message", text))
        audit(actor, report, f"report.{kind}", {"message_id": message.id})
        return view(actor, report, me, key)


def add_note(actor: Actor | None, report_id: int, text: str, *,
             session_token: str | None) -> dict:
    """An internal note, seen by the report's officers only. A handler or supervisor.
    Raises report.not_found, report.key_locked, report.text_length. Audited."""
    return _write(actor, report_id, text, session_token, kind="note",
                  levels=("handler", "supervisor"))


def send_message(actor: Actor | None, report_id: int, text: str, *,
                 session_token: str | None) -> dict:
    """A message to the reporter (read with the receipt). A handler. Raises report.not_found,
    report.key_locked, report.text_length, Conflict report.closed. Audited."""
    return _write(actor, report_id, text, session_token, kind="message", levels=("handler",))


def recuse(actor: Actor | None, report_id: int) -> dict:
    """Step away from a report (回避): the caller's sealed copy of the key is deleted and they
    are excluded from the report from now on. A handler or supervisor.

    Raises report.not_found. When no handler remains, the level above is notified.
    """
    require_any_scope(actor, HANDLE)
    now = utcnow()
    with database.atomic():
        report, me = load_for_officer(actor, report_id)
        (ReportRecipient.update(recused_at=now, sealed_key=None)
         .where(ReportRecipient.id == me.id).execute())
        recipients.add_exclusions(report, [actor.user_id])
        audit(actor, report, "report.recuse", {"level": me.level})
        remaining = (ReportRecipient.select()
                     .where((ReportRecipient.report == report.id)
                            & (ReportRecipient.level == "handler")
                            & ReportRecipient.recused_at.is_null()).exists())
        if not remaining:
            supervisors = [row[0] for row in ReportRecipient.select(ReportRecipient.user)
                           .where((ReportRecipient.report == report.id)
                                  & (ReportRecipient.level == "supervisor")
                                  & ReportRecipient.recused_at.is_null()).tuples()]
            notify.notify_officers(report.id, supervisors, f"recused:{me.id}", now)
    return {"id": report.id, "recused": True}


def audit_trail(actor: Actor | None, report_id: int):
    """The report's audit entries (every read, change and reveal), for keyset paging.

    Its live recipients: the handling level and the level above. Raises report.not_found.
    """
    require_any_scope(actor, HANDLE)
    report, _ = load_for_officer(actor, report_id)
    return AuditEntry.select().where((AuditEntry.object_type == AUDIT_OBJECT)
                                     & (AuditEntry.object_id == str(report.id)))


def open_attachment(actor: Actor | None, report_id: int, attachment_id: int, *,
                    session_token: str | None) -> tuple[str, bytes]:
    """An attachment's decrypted image (mime, bytes). A recipient with an unlocked key.
    Raises report.not_found (also for an attachment of another report). Audited."""
    require_any_scope(actor, HANDLE)
    with database.atomic():
        report, _, key = _open(actor, report_id, session_token)
        row = ReportAttachment.get_or_none((ReportAttachment.id == attachment_id)
                                           & (ReportAttachment.report == report.id))
        if row is None:
            raise NotFound("report.attachment_not_found", "找不到该附件")
        audit(actor, report, "report.read_attachment", {"attachment_id": row.id})
    return row.mime, sealing.decrypt_bytes(key, row.data_cipher)
