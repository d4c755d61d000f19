"""Scheduled work of the bot that needs no WeCom connection: progress notices and retention.

Delivery and the message-archive pull need the WeCom transport and live in ``bot.jobs``.
"""

from __future__ import annotations

import datetime as dt
import os

from app.bot.models import BotLedger, BotMessage, PendingConfirmation
from app.bot.progress import notify_progress
from app.clock import utcnow
from app.db import database

DEFAULT_RETENTION_DAYS = 30
_PURGE_BATCH = 1000


def progress_notices(now: dt.datetime | None = None) -> dict:
    """Group notices for accepted, resolved and escalated requests (see app.bot.progress)."""
    return notify_progress(now)


def retention_days() -> int:
    """``BOT_RETENTION_DAYS`` from the environment (default 30, at least 1)."""
    try:
        return max(1, int(os.environ.get("BOT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def purge_expired(now: dt.datetime | None = None, days: int | None = None) -> dict:
    """Delete messages and ledger rows older than the retention period, and expired pending
    confirmations, in batches (indexed on ``created_at`` / ``expires_at``). Idempotent."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days or retention_days())
    counts = {}
    for name, model, column in (("messages", BotMessage, BotMessage.created_at),
                                ("ledger", BotLedger, BotLedger.created_at)):
        total = 0
        while True:
            ids = [i for (i,) in model.select(model.id).where(column < cutoff)
                   .order_by(model.id).limit(_PURGE_BATCH).tuples()]
            if not ids:
                break
            with database.atomic():
                total += model.delete().where(model.id.in_(ids)).execute()
        counts[name] = total
    with database.atomic():
        counts["confirmations"] = (PendingConfirmation.delete()
                                   .where(PendingConfirmation.expires_at <= now).execute())
    return counts
