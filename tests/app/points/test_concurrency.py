"""Several processes, each with its own connection, replay the same events and redeem at once
(SQLite file database or PostgreSQL, whichever the suite runs on).

At the end: exactly one transfer per event, no balance below zero, stock never below zero and
equal to what the successful redemptions left, balances equal their transfers, and no process
saw an error or a 5xx ("database is locked" included).
"""

from __future__ import annotations

import multiprocessing

import peewee

from app.db import database
from app.points import jobs, ledger, store
from app.points.models import PointsAccount, PointsEvent, PointsTransfer, Redemption, StoreItem
from app.points.services import record_points_event
from tests.app.points import concurrency_worker
from tests.conftest import TEST_SECRET
from tests.factories import bearer

PROCESSES = 4
EVENTS = 40
STOCK = 5


def _env(database_url: str, media_root: str) -> dict:
    return {"LINLI_ENV": "test", "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET,
            "WECHAT_MODE": "live", "WECHAT_APPID": "wx-test-appid",
            "WECHAT_SECRET": "wx-test-secret", "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": media_root}


def test_processes_replaying_events_and_redeeming_at_once_keep_the_ledger_exact(
        village, database_url, tmp_path):
    users = [village.resident, village.neighbour]
    region = village.tree.village_a1.id
    for user in users:  # a starting balance, so redemptions race the credits from the start
        record_points_event("wish.fulfilled", f"wish:seed-{user.id}", user.id, region, 4)
    item = store.create_item(village.actor(village.cadre), village_id=region, name="大米",
                             cost=15, stock=STOCK)
    events = [("action.attended" if n % 2 else "wish.fulfilled", f"replay:{n}",
               users[n % 2].id, region, 30 + n) for n in range(EVENTS)]
    tokens = {u.id: bearer(u)["Authorization"].split(" ", 1)[1] for u in users}
    database.close()
    if hasattr(database.obj, "close_all"):
        database.obj.close_all()  # no pooled PostgreSQL socket may be shared with a child

    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = []
    for n in range(PROCESSES):
        redemptions = [(tokens[u.id], {"item_id": item.id, "request_key": f"p{n}-{i}-{u.id}"})
                       for i in range(4) for u in users]
        redemptions.append((tokens[users[0].id], {"item_id": item.id, "request_key": "shared"}))
        workers.append(ctx.Process(target=concurrency_worker.run, args=(
            _env(database_url, str(tmp_path)), events, redemptions, n, barrier, results)))
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=240) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    errors = [e for o in outcomes for e in o["errors"]]
    assert errors == []
    statuses = [s for o in outcomes for s in o["statuses"]]
    assert set(statuses) <= {201, 409} and 201 in statuses

    database.connect(reuse_if_open=True)
    for _, ref, *_ in events:
        assert PointsTransfer.select().where(PointsTransfer.source_ref == ref).count() == 1
        assert PointsEvent.get(PointsEvent.source_ref == ref).status == "credited"
    refs = PointsTransfer.select(PointsTransfer.source_ref)
    assert refs.count() == refs.distinct().count()
    assert not PointsAccount.select().where((PointsAccount.kind != "pool")
                                            & (PointsAccount.balance < 0)).exists()
    sold = (Redemption.select(peewee.fn.SUM(Redemption.quantity)).scalar() or 0)
    stock = StoreItem.get_by_id(item.id).stock
    assert stock >= 0 and stock == STOCK - sold
    answered = {}
    for key, redemption_id in (r for o in outcomes for r in o["redeemed"]):
        assert answered.setdefault(key, redemption_id) == redemption_id  # one per request key
    assert sorted(answered.values()) == [r.id for r in Redemption.select().order_by(Redemption.id)]
    assert PointsAccount.select(peewee.fn.SUM(PointsAccount.balance)).scalar() == 0
    for account in PointsAccount.select():
        assert account.balance == ledger.signed_sum(account.id)
    assert jobs.verify_balances()["mismatches"] == 0
