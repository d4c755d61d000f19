"""Scheduled work of disclosures: the ``disclosures.cadence`` job.

Each run (1) creates, for every village and kind, the obligations of the periods that ended
(``cadence_rules.LOOKBACK``) since the village existed — insert-or-ignore on (village, kind,
period), already met when a matching disclosure is published — and (2) marks every open
obligation whose due time has passed overdue: a conditional update open → overdue, so each
obligation becomes overdue exactly once however often the job runs, and only the run that won
the update tells the town admins and discipline officers above the village (staff notices,
deduplicated per obligation and user). Villages are read in keyset batches by id.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.calendar.rules import local_day
from app.clock import utcnow
from app.db import database
from app.disclosures import cadence_rules, rules
from app.disclosures.cadence import ensure_due, rhythms_for
from app.disclosures.models import DisclosureDue
from app.notifications.services import enqueue
from app.regions.models import Region
from app.supervision.places import staff_with_roles

log = logging.getLogger("linli.jobs.disclosures")
BATCH = 200
TOLD = frozenset({"town_admin", "discipline_officer"})


def check_cadence(now: dt.datetime | None = None, *, batch: int = BATCH) -> dict:
    """One pass of the cadence job. Idempotent; returns counts for the scheduler log."""
    now = now or utcnow()
    counts = {"villages": 0, "overdue": 0}
    after = 0
    while True:
        villages = list(Region.select().where((Region.level == "village") & (Region.id > after))
                        .order_by(Region.id).limit(batch))
        if not villages:
            break
        counts["villages"] += len(villages)
        _create_dues(villages, now)
        after = villages[-1].id
    while True:
        due = list(DisclosureDue.select(DisclosureDue.id)
                   .where((DisclosureDue.status == "open") & (DisclosureDue.due_at <= now))
                   .order_by(DisclosureDue.due_at, DisclosureDue.id).limit(batch).tuples())
        if not due:
            break
        for (due_id,) in due:
            try:
                counts["overdue"] += _mark_overdue(due_id, now)
            except Exception:  # one bad row must not stop the pass; it is retried next run
                log.exception("cadence: marking obligation id=%s failed", due_id)
                return counts
    return counts


def _create_dues(villages: list[Region], now: dt.datetime) -> None:
    today = local_day(now)
    table = rhythms_for([v.id for v in villages])
    with database.atomic():
        for village in villages:
            born = local_day(village.created_at)
            for kind in rules.KINDS:
                rhythm = table[(village.id, kind)]
                for period in cadence_rules.ended_periods(today, rhythm.rhythm):
                    if period.last < born:
                        continue  # the village did not exist for this whole period
                    ensure_due(village, kind, period.key,
                               cadence_rules.due_at(period, rhythm.grace_days), now)


def _mark_overdue(due_id: int, now: dt.datetime) -> int:
    with database.atomic():
        won = (DisclosureDue.update(status="overdue", overdue_at=now)
               .where((DisclosureDue.id == due_id) & (DisclosureDue.status == "open")
                      & (DisclosureDue.due_at <= now)).execute())
        if won != 1:
            return 0
        due = DisclosureDue.get_by_id(due_id)
        village = Region.get_by_id(due.village_id)
        body = (f"{village.name}{rules.KIND_NAMES[due.kind]}"
                f"（{cadence_rules.period_label(due.period)}）应于 "
                f"{local_day(due.due_at - dt.timedelta(seconds=1)).isoformat()} 前公开，至今未公开")
        for user_id in staff_with_roles(village.path, set(TOLD)):
            enqueue(channel="staff", recipient_user_id=user_id, kind="disclosure.overdue",
                    title="公开逾期提醒", body=body, page=f"/console/disclosure-dues/{due.id}",
                    dedupe_key=f"disclosure_due:{due.id}:overdue:user:{user_id}", now=now)
    return 1
