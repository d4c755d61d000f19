"""Scheduled work of reports: reminders and 催办 on stage deadlines, and destruction after the
retention period.

Both jobs read only due rows (indexed ``next_due_at`` / ``purge_after``) and take each step with
a conditional update, so two runs at once, or a rerun after a crash, take every step once.
Neither needs a report key: reminders say only "您有新的事项", and destruction deletes the keys.
"""

from __future__ import annotations

import logging

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.reports import notify, rules
from app.reports.models import (
    Report,
    ReportAttachment,
    ReportExclusion,
    ReportMessage,
    ReportRecipient,
    RevealRequest,
)
from app.reports.policies import AUDIT_OBJECT

log = logging.getLogger("linli.jobs.reports")


def _live(report_id: int, level: str) -> list[int]:
    return [row[0] for row in ReportRecipient.select(ReportRecipient.user)
            .where((ReportRecipient.report == report_id) & (ReportRecipient.level == level)
                   & ReportRecipient.recused_at.is_null()).tuples()]


def escalate_due(now=None, *, batch: int = 500) -> dict:
    """Remind handlers a day before a stage deadline; once overdue, 催办 to the level above
    (and the handlers). Each step once per stage deadline."""
    now = now or utcnow()
    counts = {"checked": 0, "reminded": 0, "urged": 0}
    due = (Report.select(Report.id).where(Report.next_due_at <= now)
           .order_by(Report.next_due_at).limit(batch).tuples())
    for (report_id,) in list(due):
        counts["checked"] += 1
        try:
            level = _step(report_id, now)
        except Exception:  # one bad row must not stop the pass; it is retried next run
            log.exception("report escalation failed id=%s", report_id)
            continue
        if level == rules.LEVEL_REMINDED:
            counts["reminded"] += 1
        elif level == rules.LEVEL_URGED:
            counts["urged"] += 1
    return counts


def _step(report_id: int, now) -> int | None:
    with database.atomic():
        report = Report.get_or_none(Report.id == report_id)
        if report is None or report.next_due_at is None:
            return None
        deadline = None if report.status in rules.CLOSED else report.stage_deadline
        level = rules.due_level(report.escalation_level, deadline, now)
        next_at = rules.next_due(level if level is not None else report.escalation_level,
                                 deadline)
        won = (Report.update(escalation_level=level if level is not None
                             else report.escalation_level, next_due_at=next_at)
               .where((Report.id == report.id)
                      & (Report.escalation_level == report.escalation_level)
                      & (Report.next_due_at == report.next_due_at)).execute())
        if won != 1 or level is None:
            return None
        ladder = f"{report.status}:{deadline.isoformat()}"
        handlers = _live(report.id, "handler")
        if level == rules.LEVEL_REMINDED:
            notify.notify_officers(report.id, handlers, f"remind:{ladder}", now)
            action = "report.remind"
        else:
            notify.notify_officers(report.id, handlers + _live(report.id, "supervisor"),
                                   f"urge:{ladder}", now)
            action = "report.urge"
        record(actor=None, grant=None, action=action, object_type=AUDIT_OBJECT,
               object_id=report.id, region_path=report.handling_path,
               region_id=report.handling_region_id, summary={"stage": report.status})
    return level


def destroy_expired(now=None, *, batch: int = 200) -> dict:
    """Destroy reports whose retention period has ended: every sealed copy of the key and
    every ciphertext is deleted; a bare row (status, dates) stays so the receipt can still say
    "destroyed"."""
    now = now or utcnow()
    due = (Report.select(Report.id)
           .where((Report.purge_after <= now) & Report.destroyed_at.is_null())
           .order_by(Report.purge_after).limit(batch).tuples())
    destroyed = 0
    for (report_id,) in list(due):
        try:
            destroyed += _destroy(report_id, now)
        except Exception:
            log.exception("report destruction failed id=%s", report_id)
    return {"destroyed": destroyed}


def _destroy(report_id: int, now) -> int:
    with database.atomic():
        won = (Report.update(destroyed_at=now, body_cipher=None, identity_cipher=None,
                             receipt_sealed_key=None, next_due_at=None)
               .where((Report.id == report_id) & Report.destroyed_at.is_null()
                      & (Report.purge_after <= now)).execute())
        if won != 1:
            return 0
        ReportRecipient.delete().where(ReportRecipient.report == report_id).execute()
        ReportMessage.delete().where(ReportMessage.report == report_id).execute()
        ReportAttachment.delete().where(ReportAttachment.report == report_id).execute()
        ReportExclusion.delete().where(ReportExclusion.report == report_id).execute()
        RevealRequest.update(reason_cipher=None).where(RevealRequest.report == report_id).execute()
        report = Report.get_by_id(report_id)
        record(actor=None, grant=None, action="report.destroy", object_type=AUDIT_OBJECT,
               object_id=report_id, region_path=report.handling_path,
               region_id=report.handling_region_id, summary={})
    return 1
