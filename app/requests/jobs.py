"""Scheduled work of requests: the escalation ladder and rating expiry.

``escalate_due`` reads only rows whose ``next_due_at`` has come (indexed), so its cost follows
the due items. Each step is a conditional update on (id, escalation_level, next_due_at): two
scheduler runs at once, or a crash and a rerun, reach every level at most once per deadline.
A ladder is one deadline of one clock (acceptance or resolution) in one handling round; its
timeline entries carry all three in ``details`` and its notices are deduplicated by them.
"""

from __future__ import annotations

import logging

from app.clock import utcnow
from app.db import database, is_postgres
from app.requests import feedback, notify, rules, sla
from app.requests.models import Request
from app.requests.timeline import add_entry

log = logging.getLogger("linli.jobs.requests")

_LEVEL_TEXT = {
    rules.LEVEL_REMINDED: ("request.due_soon", "诉求即将到期，请抓紧办理", False),
    rules.LEVEL_URGED: ("request.overdue", "诉求已超期，现予催办", True),
    rules.LEVEL_ESCALATED: ("request.escalated", "诉求超期未办结，已提级督办", True),
    rules.LEVEL_JOINT: ("request.joint_supervision", "疑难诉求，已启动联合督办", True),
}


def escalate_due(now=None, *, batch: int = 500) -> dict:
    """One pass: take each due request one step up its ladder (or expire its rating)."""
    now = now or utcnow()
    counts = {"checked": 0, "stepped": 0, "expired": 0}
    due = (Request.select(Request.id).where(Request.next_due_at <= now)
           .order_by(Request.next_due_at).limit(batch).tuples())
    for (request_id,) in list(due):
        counts["checked"] += 1
        try:
            if _step(request_id, now):
                counts["stepped"] += 1
            elif feedback.expire_rating(request_id, now):
                counts["expired"] += 1
        except Exception:  # one bad row must not stop the pass; it is retried next run
            log.exception("escalation failed for request id=%s", request_id)
    return counts


def _write_transaction():
    """A transaction that holds the write lock from its first read on SQLite (BEGIN
    IMMEDIATE): a second pass then waits and reads the step already taken, instead of failing
    on a stale snapshot and leaving the row for the next run. On PostgreSQL the row lock of the
    conditional update below does that."""
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


def _step(request_id: int, now) -> bool:
    with _write_transaction():
        request = Request.get_or_none(Request.id == request_id)
        if request is None or request.status == "resolved" or request.next_due_at is None:
            return False
        deadline = sla.current_deadline(request)
        if deadline is None:
            return False
        level = rules.due_escalation_level(
            level=request.escalation_level, now=now, deadline=deadline,
            remind_before=sla.remind_before(request), escalate_after=sla.ESCALATE_AFTER,
            hard=sla.is_hard(request))
        if level is None:
            _reschedule(request, now)
            return False
        overdue = request.overdue_count + (1 if level == rules.LEVEL_URGED else 0)
        request.overdue_count = overdue
        next_at = sla.next_due(request, now, level=level)
        won = (Request.update(escalation_level=level, next_due_at=next_at, overdue_count=overdue,
                              version=Request.version + 1)
               .where((Request.id == request.id)
                      & (Request.escalation_level == request.escalation_level)
                      & (Request.next_due_at == request.next_due_at))
               .execute())
        if won != 1:
            return False  # another run took this step
        kind, text, public = _LEVEL_TEXT[level]
        ladder = {"deadline": deadline.isoformat(), "clock": sla.current_clock(request),
                  "round": request.reopen_count}
        add_entry(request, actor=None, role="system", action="note", from_status=None,
                  to_status=None, label=rules.LEVEL_NAMES[level], note=text, public=public,
                  details={"level": level, **ladder}, at=now)
        _notify_level(request, level, kind, text, ladder)
    return True


def _reschedule(request: Request, now) -> None:
    """Nothing due at this level (e.g. the deadline moved): store the next real due time."""
    next_at = sla.next_due(request, now)
    if next_at != request.next_due_at:
        (Request.update(next_due_at=next_at)
         .where((Request.id == request.id) & (Request.next_due_at == request.next_due_at))
         .execute())


def _notify_level(request: Request, level: int, kind: str, text: str, ladder: dict) -> None:
    # One notice per level of one ladder: the same deadline instant can recur on the other
    # clock or in a reopened round, and those ladders must be notified again.
    dedupe = f"{kind}:{ladder['deadline']}:{ladder['clock']}:{ladder['round']}"
    handlers = notify.unit_members(request.lead_unit_id)
    if request.status in ("submitted", "accepted", "reopened", "returned") or not handlers:
        handlers = notify.staff_with_roles(request, {"grid_worker", "cadre"})
    recipients = list(handlers)
    if level >= rules.LEVEL_URGED:
        recipients += notify.staff_with_roles(request, {"cadre"})
    if level >= rules.LEVEL_ESCALATED:
        recipients += notify.staff_with_roles(request, {"town_admin"})
    if level >= rules.LEVEL_JOINT:
        recipients += notify.staff_with_roles(request, {"discipline_officer"})
    notify.to_users(request, recipients, kind, text, dedupe=dedupe)
