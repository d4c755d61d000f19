"""Back to the group: a short notice when a request from a group is accepted, resolved or
escalated.

The requests feature does not call the bot. Instead ``notify_progress`` reads the requests'
timeline entries newer than a stored cursor (``BotCursor`` ``progress.timeline``), keeping only
those of requests linked to a group (``BotRequestLink``, a unique index on the request id), so
each run costs what the new entries cost. Each notice goes through the outbox
(``channel="group"``, ``group_key="group:<id>"``, deduplicated by the entry id), so a rerun
writes nothing twice. Entries younger than ``GRACE`` wait for the next run: an id is
allocated before its transaction commits, and a slower transaction could otherwise commit an
older id behind the cursor. A direct call from ``app.requests.notify`` would be simpler; see
the bot's notes.
"""

from __future__ import annotations

import datetime as dt
import json

from app.accounts.models import User
from app.bot import identities
from app.bot.models import BotCursor, BotGroup, BotRequestLink
from app.clock import utcnow
from app.db import database
from app.notifications.services import enqueue
from app.requests.models import Request, TimelineEntry

CURSOR = "progress.timeline"
GRACE = dt.timedelta(seconds=30)
BATCH = 500
TEXTS = {
    "accept": "{name}反映的诉求 {no} 已受理，正在安排办理。",
    "resolve": "{name}反映的诉求 {no} 已办结，请留意评价提醒。",
    "escalate": "{name}反映的诉求 {no} 已提级督办，我们会加快处理。",
}


def _event(entry: TimelineEntry) -> str | None:
    if entry.action in ("accept", "resolve"):
        return entry.action
    if entry.action == "note":
        try:
            level = json.loads(entry.details or "{}").get("level")
        except ValueError:
            level = None
        if level == 3:
            return "escalate"
    return None


def read_cursor(name: str) -> int:
    return BotCursor.select(BotCursor.value).where(BotCursor.name == name).scalar() or 0


def write_cursor(name: str, value: int, now: dt.datetime) -> None:
    (BotCursor.insert(name=name, value=value, updated_at=now)
     .on_conflict(conflict_target=[BotCursor.name],
                  update={BotCursor.value: value, BotCursor.updated_at: now}).execute())


def enqueue_progress(request_id: int, tracking_no: str, event: str, dedupe: str,
                     now: dt.datetime | None = None) -> bool:
    """Write the group notice of ``event`` (accept / resolve / escalate) for a request, if it
    came from a bound group, inside the caller's transaction. Returns whether one was written.

    The requests feature could call this directly from ``app.requests.notify`` (see the bot's
    notes); until then :func:`notify_progress` calls it for each new timeline entry.
    """
    link = BotRequestLink.get_or_none(BotRequestLink.request_id == request_id)
    if link is None:
        return False
    group = BotGroup.get_or_none((BotGroup.id == link.group_id) & (BotGroup.status == "active"))
    if group is None:
        return False
    name = identities.mask_name(User.get_by_id(link.sender_id).display_name)
    enqueue(channel="group", kind="bot.request_progress", group_key=f"group:{group.id}",
            title=TEXTS[event].format(name=name, no=tracking_no),
            dedupe_key=f"bot.progress:{dedupe}", now=now)
    return True


def notify_progress(now: dt.datetime | None = None, batch: int = BATCH) -> dict:
    """One pass over new timeline entries; returns how many entries and notices it handled.

    Called by the ``bot.progress`` job. Idempotent. Changes: outbox rows, the cursor.
    """
    now = now or utcnow()
    after = read_cursor(CURSOR)
    rows = list(TimelineEntry.select(TimelineEntry.id, TimelineEntry.request,
                                     TimelineEntry.action, TimelineEntry.details,
                                     TimelineEntry.at)
                .where((TimelineEntry.id > after) & (TimelineEntry.at <= now - GRACE))
                .order_by(TimelineEntry.id).limit(batch))
    if not rows:
        return {"entries": 0, "notices": 0}
    relevant = [r for r in rows if _event(r)]
    linked = {request_id for (request_id,) in BotRequestLink.select(BotRequestLink.request_id)
              .where(BotRequestLink.request_id.in_([r.request_id for r in relevant] or [0]))
              .tuples()}
    notices = 0
    with database.atomic():
        for entry in relevant:
            if entry.request_id not in linked:
                continue
            tracking_no = (Request.select(Request.tracking_no)
                           .where(Request.id == entry.request_id).scalar())
            notices += enqueue_progress(entry.request_id, tracking_no, _event(entry),
                                        f"{entry.id}", now)
        write_cursor(CURSOR, rows[-1].id, now)
    return {"entries": len(rows), "notices": notices}
