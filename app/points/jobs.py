"""Scheduled work of points: verifying cached balances and tallies against the transfers, and
crediting events that were waiting for a rule, a pool or a bound beneficiary.

``verify_balances`` recomputes in SQL, a range of account ids at a time; each comparison is one
statement, so it sees one consistent snapshot even while credits go on. A mismatch is logged
and sent to the sysadmins and the town admins over the account as a staff notice (one per
account per day).
"""

from __future__ import annotations

import logging

from app.accounts.models import RoleGrant
from app.clock import to_local, utcnow
from app.db import database
from app.notifications.services import enqueue
from app.points import tx
from app.points.models import PointsAccount, PointsEvent
from app.points.services import credit_points
from app.regions.models import Region
from app.regions.rules import path_ids

log = logging.getLogger("linli.jobs.points")

_BALANCE_SQL = """
SELECT a.id, a.balance, COALESCE(c.total, 0) - COALESCE(d.total, 0)
FROM points_account a
LEFT JOIN (SELECT to_account_id AS id, SUM(amount) AS total FROM points_transfer
           WHERE to_account_id >= {lo} AND to_account_id < {hi} GROUP BY to_account_id) c
       ON c.id = a.id
LEFT JOIN (SELECT from_account_id AS id, SUM(amount) AS total FROM points_transfer
           WHERE from_account_id >= {lo} AND from_account_id < {hi} GROUP BY from_account_id) d
       ON d.id = a.id
WHERE a.id >= {lo} AND a.id < {hi}
  AND a.balance <> COALESCE(c.total, 0) - COALESCE(d.total, 0)
"""
# Earned all time = credits from a pool − reversals of them back to a pool.
_TALLY_SQL = """
SELECT a.id, COALESCE(t.points, 0), COALESCE(e.total, 0)
FROM points_account a
LEFT JOIN points_tally t ON t.account_id = a.id AND t.period = 'all'
LEFT JOIN (SELECT x.id, SUM(x.amount) AS total FROM (
             SELECT tr.to_account_id AS id, tr.amount FROM points_transfer tr
             JOIN points_account p ON p.id = tr.from_account_id AND p.kind = 'pool'
             WHERE tr.to_account_id >= {lo} AND tr.to_account_id < {hi}
             UNION ALL
             SELECT tr.from_account_id AS id, -tr.amount FROM points_transfer tr
             JOIN points_account p ON p.id = tr.to_account_id AND p.kind = 'pool'
             WHERE tr.from_account_id >= {lo} AND tr.from_account_id < {hi}) x
           GROUP BY x.id) e ON e.id = a.id
WHERE a.id >= {lo} AND a.id < {hi} AND a.kind IN ('person', 'household')
  AND COALESCE(t.points, 0) <> COALESCE(e.total, 0)
"""


def verify_balances(now=None, *, batch: int = 2000) -> dict:
    """Compare every cached balance and all-time tally with the sums of its transfers, and
    the sum of all balances with zero; alert on any difference. Read-only apart from alerts."""
    now = now or utcnow()
    top = PointsAccount.select(PointsAccount.id).order_by(PointsAccount.id.desc()).scalar() or 0
    counts = {"accounts": 0, "mismatches": 0, "total": 0}
    for lo in range(1, top + 1, batch):
        hi = lo + batch
        bounds = {"lo": int(lo), "hi": int(hi)}
        for account_id, cached, computed in database.execute_sql(
                _BALANCE_SQL.format(**bounds)).fetchall():
            _alert(account_id, "balance", int(cached), int(computed), now)
            counts["mismatches"] += 1
        for account_id, cached, computed in database.execute_sql(
                _TALLY_SQL.format(**bounds)).fetchall():
            _alert(account_id, "tally", int(cached), int(computed), now)
            counts["mismatches"] += 1
        row = database.execute_sql(
            "SELECT COUNT(*), COALESCE(SUM(balance), 0) FROM points_account "
            f"WHERE id >= {bounds['lo']} AND id < {bounds['hi']}").fetchone()
        counts["accounts"] += int(row[0])
        counts["total"] += int(row[1])
    if counts["total"] != 0:
        log.error("points ledger does not sum to zero: total=%s", counts["total"])
        counts["mismatches"] += 1
    return counts


def _alert(account_id: int, what: str, cached: int, computed: int, now) -> None:
    log.error("points %s mismatch account_id=%s cached=%s computed=%s", what, account_id,
              cached, computed)
    account = PointsAccount.get_by_id(account_id)
    ids = path_ids(account.region_path) or [0]
    recipients = [row[0] for row in RoleGrant.select(RoleGrant.user).distinct()
                  .join(Region, on=(RoleGrant.region == Region.id))
                  .where(RoleGrant.revoked_at.is_null()
                         & (RoleGrant.role.in_(("sysadmin", "town_admin")))
                         & (Region.id.in_(ids))).tuples()]
    day = f"{to_local(now):%Y%m%d}"

    def run() -> None:
        for user_id in recipients:
            enqueue(channel="staff", kind="points.mismatch", recipient_user_id=user_id,
                    dedupe_key=f"points.mismatch:{what}:{account_id}:{day}:{user_id}",
                    title="积分核对发现不一致，请核查",
                    body=f"积分账户 {account_id} 的{'余额' if what == 'balance' else '累计积分'}"
                         f"与流水合计不符（缓存 {cached}，流水 {computed}）。", now=now)

    tx.write(run)


def credit_pending(now=None, *, batch: int = 500) -> dict:
    """Credit events that waited for a rule, a pool or a bound beneficiary (oldest first)."""
    counts = {"checked": 0, "credited": 0, "waiting": 0}
    after = 0
    while counts["checked"] < batch:
        ids = [row[0] for row in PointsEvent.select(PointsEvent.id)
               .where((PointsEvent.status == "pending") & (PointsEvent.id > after))
               .order_by(PointsEvent.id).limit(min(100, batch - counts["checked"])).tuples()]
        if not ids:
            break
        for event_id in ids:
            after = event_id
            counts["checked"] += 1
            try:
                event = credit_points(event_id)
            except Exception:  # one bad event must not stop the pass; it is retried next run
                log.exception("crediting points event id=%s failed", event_id)
                continue
            counts["credited" if event.status != "pending" else "waiting"] += 1
    return counts
