"""Figures for operators: outbox backlog, request queue depths, scheduler last-run times.

Read-only counts over other features' tables (the ``/metrics`` endpoint asks for them at each
scrape), plus the record of scheduler runs. Runs are kept in the shared expiring key-value store
(``app.kvstore``), one key per job, so recording them needs no table of its own and every web
worker reads what the one scheduler process wrote.
"""

from __future__ import annotations

import datetime as dt
import json

import peewee

from app import kvstore
from app.clock import utcnow
from app.notifications.models import Notification
from app.requests import queries
from app.requests.models import Request

RUN_KEY = "monitoring.job_run:"
# A record outlives any sane schedule; a job gone from the table stops showing after a week.
RUN_TTL_SECONDS = 7 * 24 * 3600
# Outbox states a notification waits in before it is delivered or given up.
BACKLOG_STATUSES = ("pending", "sending")
# The staff queues whose depth is exported; the conditions are the console's own.
QUEUE_NAMES = ("to_accept", "held", "overdue", "escalated")


def outbox_backlog() -> dict[str, int]:
    """Notifications not yet delivered, by status (every status in BACKLOG_STATUSES present)."""
    counts = dict.fromkeys(BACKLOG_STATUSES, 0)
    rows = (Notification.select(Notification.status, peewee.fn.COUNT(Notification.id))
            .where(Notification.status.in_(BACKLOG_STATUSES))
            .group_by(Notification.status).tuples())
    for status, count in rows:
        counts[status] = count
    return counts


def oldest_backlog_seconds(now: dt.datetime | None = None) -> float:
    """Age of the oldest undelivered notification (0 when the outbox is empty)."""
    oldest = (Notification.select(peewee.fn.MIN(Notification.created_at))
              .where(Notification.status.in_(BACKLOG_STATUSES)).scalar())
    if oldest is None:
        return 0.0
    return max(0.0, ((now or utcnow()) - oldest).total_seconds())


def queue_depths() -> dict[str, int]:
    """Requests in each exported staff queue, across the whole deployment."""
    conditions = queries._QUEUE_CONDITIONS  # the same definitions the console's queues use
    return {name: Request.select().where(conditions[name]()).count() for name in QUEUE_NAMES}


def record_job_run(job_id: str, ok: bool, *, started: dt.datetime, finished: dt.datetime) -> None:
    """Remember the last run of ``job_id`` and the last successful one.

    Called by the scheduler after each run, outside the job's own transaction; a failure to
    record is the caller's to log, never a reason to stop the scheduler.
    """
    previous = last_run(job_id) or {}
    record = {"started": started.isoformat(), "finished": finished.isoformat(), "ok": ok,
              "last_success": finished.isoformat() if ok else previous.get("last_success")}
    kvstore.set_value(RUN_KEY + job_id, json.dumps(record), ttl_seconds=RUN_TTL_SECONDS)


def last_run(job_id: str) -> dict | None:
    """The last recorded run of ``job_id`` (times as ISO strings, UTC), or None."""
    raw = kvstore.get_value(RUN_KEY + job_id)
    return json.loads(raw) if raw else None


def job_runs(job_ids) -> dict[str, dict]:
    """Last runs of the given jobs, skipping jobs that never ran."""
    found = {}
    for job_id in job_ids:
        record = last_run(job_id)
        if record is not None:
            found[job_id] = record
    return found
