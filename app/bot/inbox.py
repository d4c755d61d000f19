"""Receiving one message exactly once: the (channel, msg_id) ledger around the dialog.

WeChat retries a callback (three times when no answer comes within 5 s) and bridges retry
too. :func:`receive` runs the dialog and writes the ledger row with its answer in ONE
transaction. A retry that arrives later finds the row and replays the stored answer without
taking a write lock. One that arrives meanwhile waits on the write lock (SQLite,
``BEGIN IMMEDIATE``) and then finds the row, or (PostgreSQL) runs its dialog, blocks on the
ledger's unique index until the first commits, fails, and its whole transaction — request
included — rolls back; it then replays the first answer. Nothing is created twice.
"""

from __future__ import annotations

import datetime as dt
import logging

import peewee

from app.bot import dialog
from app.bot.messages import InboundMessage, Replier
from app.bot.models import BotLedger
from app.clock import utcnow
from app.db import database, is_postgres

log = logging.getLogger("linli.bot")


def _write_transaction():
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


def _stored(msg: InboundMessage) -> dialog.Outcome | None:
    row = BotLedger.get_or_none((BotLedger.channel == msg.channel)
                                & (BotLedger.msg_id == msg.msg_id))
    if row is None:
        return None
    return dialog.Outcome(row.answer, "duplicate", row.request_id)


def receive(msg: InboundMessage, replier: Replier | None = None, *,
            now: dt.datetime | None = None) -> dialog.Outcome:
    """Handle ``msg`` once; a repeat (same channel and msg_id) replays the stored answer.

    Called by the channel adapters (edges). The answer, if any, goes to ``replier`` and is
    returned. Changes: the ledger row and whatever the dialog changes, atomically.
    """
    now = now or utcnow()
    outcome = _stored(msg)
    if outcome is None:
        try:
            with _write_transaction():
                outcome = dialog.handle(msg, now=now)
                BotLedger.create(channel=msg.channel, msg_id=msg.msg_id, answer=outcome.answer,
                                 outcome=outcome.outcome, request_id=outcome.request_id,
                                 created_at=now)
        except peewee.IntegrityError:
            # A concurrent delivery of the same message committed first: everything this one
            # did was rolled back with the transaction; answer as the first one did.
            outcome = _stored(msg)
            if outcome is None:
                raise
    log.info("bot message channel=%s outcome=%s", msg.channel, outcome.outcome)
    if replier is not None and outcome.answer:
        replier.reply(outcome.answer)
    return outcome
