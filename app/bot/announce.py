"""Announcements: other features post a notice to every bound group under a region node
(a disclosure published, a livestream starting, an action open for sign-up)."""

from __future__ import annotations

from app.audit.services import record
from app.bot import policies
from app.db import database
from app.errors import InvalidInput
from app.notifications.models import Notification
from app.notifications.services import enqueue
from app.policy import Actor, authorize
from app.regions import services as regions

MAX_TEXT = 1000


def announce(actor: Actor | None, region_id: int, text: str, dedupe_key: str, *,
             title: str = "通知") -> Notification:
    """Post ``text`` to all bound groups at or under ``region_id``, once per ``dedupe_key``.

    ``actor`` None is a system call (another feature's job or service acting for itself);
    otherwise grid workers, cadres, town admins and sysadmins in scope (``bot.announce``).
    Runs in the caller's transaction when there is one. Raises Unauthorized, Forbidden,
    NotFound region.not_found, InvalidInput bot.bad_announcement. Staff calls are audited.
    Changes: one outbox row (``channel="group"``, ``group_key="region:<id>"``); the
    ``bot.deliver`` job fans it out to the groups and their robots.
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.ANNOUNCE, region.path) if actor is not None else None
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT or not dedupe_key:
        raise InvalidInput("bot.bad_announcement", f"通知内容应为 1 到 {MAX_TEXT} 字")
    with database.atomic():
        row = enqueue(channel="group", kind="bot.announcement", group_key=f"region:{region.id}",
                      title=title[:100], body=text, dedupe_key=f"bot.announce:{dedupe_key}")
        if actor is not None:
            record(actor=actor, grant=grant, action="bot.announce", object_type="notification",
                   object_id=row.id, region_path=region.path, summary={"region": region.id})
    return row
