"""Residents submitting at the same moment all get their request, on SQLite as on PostgreSQL.

Each submission reads (the resident's household, the category, today's tracking counter)
before it writes. On SQLite a deferred transaction that read first cannot wait for the write
lock once another connection committed, so it used to fail with "database is locked" (a 500 for
the resident); the database now begins transactions IMMEDIATE and writers take turns instead.
"""

from __future__ import annotations

import threading

from app.db import database
from app.requests import services as requests
from app.requests.models import Request

SUBMITTERS = 6
ROUNDS = 3


def test_concurrent_submissions_all_succeed_with_distinct_tracking_numbers(town):
    actor = town.actor(town.resident, "miniprogram")
    if not database.is_closed():
        database.close()  # every thread opens its own connection
    barrier = threading.Barrier(SUBMITTERS, timeout=30)
    numbers, failures = [], []

    def submit(index: int) -> None:
        try:
            barrier.wait()
            for round_no in range(ROUNDS):
                with database.connection_context():
                    row = requests.submit_request(
                        actor, type="help", category_code="environment",
                        text=f"楼道灯坏了，第{index}位第{round_no}次反映")
                numbers.append(row.tracking_no)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            failures.append(repr(exc))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert len(numbers) == len(set(numbers)) == SUBMITTERS * ROUNDS
    with database.connection_context():
        assert Request.select().where(Request.tracking_no.in_(numbers)).count() == len(numbers)
