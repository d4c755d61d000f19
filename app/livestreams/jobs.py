"""Scheduled work of livestreams: the ``livestreams.remind`` job.

Each run reminds the village's groups of every livestream starting within ``REMIND_BEFORE``
whose announcement is older than that. ``reminded_at`` is set by a conditional update (null →
now) before the message is written in the same transaction, so a livestream is reminded
exactly once however often, or however concurrently, the job runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.clock import utcnow
from app.db import database
from app.livestreams import rules
from app.livestreams.models import Livestream
from app.livestreams.services import announce, local_minute

log = logging.getLogger("linli.jobs.livestreams")


def remind_upcoming(now: dt.datetime | None = None, *, batch: int = 200) -> dict:
    """One pass; returns counts for the scheduler log. Idempotent."""
    now = now or utcnow()
    counts = {"due": 0, "reminded": 0}
    due = (Livestream.select(Livestream.id)
           .where((Livestream.status == "scheduled") & Livestream.reminded_at.is_null()
                  & (Livestream.starts_at > now)
                  & (Livestream.starts_at <= now + rules.REMIND_BEFORE))
           .order_by(Livestream.starts_at, Livestream.id).limit(batch).tuples())
    for (livestream_id,) in list(due):
        counts["due"] += 1
        try:
            counts["reminded"] += _remind(livestream_id, now)
        except Exception:  # one bad row must not stop the pass; it is retried next run
            log.exception("livestream reminder failed for id=%s", livestream_id)
    return counts


def _remind(livestream_id: int, now: dt.datetime) -> int:
    with database.atomic():
        won = (Livestream.update(reminded_at=now)
               .where((Livestream.id == livestream_id) & Livestream.reminded_at.is_null()
                      & (Livestream.status == "scheduled")).execute())
        if won != 1:
            return 0
        livestream = Livestream.get_by_id(livestream_id)
        if not rules.due_for_reminder(livestream.starts_at, livestream.announced_at, now):
            return 0  # announced recently enough: the mark stops later runs from asking again
        announce(livestream, "remind", f"直播即将开始：{livestream.title}",
                 f"{local_minute(livestream.starts_at)} 开始，观看地址：{livestream.link}", now)
    return 1
