"""Exactly once under concurrency, and retention of messages and the ledger."""

from __future__ import annotations

import datetime as dt
import threading

from app.bot.inbox import receive
from app.bot.jobs import purge_expired
from app.bot.models import BotLedger, BotMessage, PendingConfirmation
from app.db import database
from app.requests.models import Request

T0 = dt.datetime(2026, 11, 23, 1, 0)


def test_three_simultaneous_deliveries_of_one_message_create_one_request(bot_town):
    chat = bot_town.bound_chat()
    message = chat.message("r1", "投诉 小区门口的垃圾桶好几天没人清了，臭气熏天", msg_id="same")
    answers, errors = [], []
    database.close()

    def deliver():
        try:
            with database.connection_context():
                answers.append(receive(message).answer)
        except Exception as exc:  # noqa: BLE001 — recorded and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.connect(reuse_if_open=True)
    assert errors == []
    assert Request.select().count() == 1
    assert len(set(answers)) == 1 and Request.get().tracking_no in answers[0]


def test_old_messages_and_ledger_rows_are_purged_after_the_retention_period(bot_town):
    chat = bot_town.bound_chat()
    chat.send("r1", "楼下的路灯坏了一个星期了，晚上黑乎乎的", at=T0)
    chat.send("r1", "今天菜市场的青菜好便宜", at=T0 + dt.timedelta(days=20))
    counts = purge_expired(now=T0 + dt.timedelta(days=31), days=30)
    assert counts["messages"] == 1 and counts["ledger"] >= 1
    assert BotMessage.select().count() == 1
    assert PendingConfirmation.select().count() == 0
    assert BotLedger.select().where(BotLedger.created_at < T0 + dt.timedelta(days=1)).count() == 0
