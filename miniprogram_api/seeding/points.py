"""Generated points ledger (微星光): pools, accounts, credits, balances and ranking tallies.

Every credit is what ``app.points.services.credit_points`` posts for one event: a credited
``points_event`` and two transfers from the village's pool — to the resident's person account
(``source_ref``) and to their household's account (``source_ref#household``) — under the
default rule of its event type (``rules.points_for``; service hours for ``action.attended``,
the rule's maximum or less for ``staff.award``). So the scale's figure of transfers is half as
many events. Transfers and events are generated in chunks in time order; the cached balances
and the tallies (all time, per Shanghai year and month, person and household) are then
computed from the transfers by set-based SQL, so the ledger sums to zero and every cache
equals its transfers by construction (``app.points.jobs.verify_balances`` checks both).
"""

from __future__ import annotations

import datetime as dt
import random

from app.db import database, is_postgres
from app.points import rules
from app.points.models import PointsAccount, PointsEvent, PointsRule, PointsTransfer
from app.points.setup import ensure_default_rules
from miniprogram_api.seeding import bulk, names
from miniprogram_api.seeding.scales import Shape

CHUNK = 25_000  # events (50,000 transfers) per chunk
EVENTS = (("action.attended", 40), ("wish.fulfilled", 25), ("request.confirmed_valid", 20),
          ("consultation.comment_accepted", 10), (rules.STAFF_AWARD, 5))
REASONS = {"action.attended": "参加“清洁家园”志愿服务", "wish.fulfilled": "帮助邻居实现微心愿",
           "request.confirmed_valid": "反映的问题经核实有效",
           "consultation.comment_accepted": "议事建议被村两委采纳",
           rules.STAFF_AWARD: "积极参与村务，予以奖励"}


def pool_id(village: int) -> int:
    return village + 1


def person_id(shape: Shape, resident: int) -> int:
    return shape.n("village") + resident + 1


def household_account_id(shape: Shape, household: int) -> int:
    return shape.n("village") + shape.counts["residents"] + household + 1


def _accounts(shape: Shape, now: dt.datetime):
    def place(level, i):
        up = shape.ancestors(level, i)
        return (shape.path(level, i), shape.region_id("grid", up["grid"]) if "grid" in up
                else None, shape.region_id("village", up["village"]),
                shape.region_id("town", up["town"]))

    for v in range(shape.n("village")):
        yield (pool_id(v), "pool", shape.region_id("village", v), *place("village", v), now)
    for r in range(shape.counts["residents"]):
        yield (person_id(shape, r), "person", r + 1,
               *place("household", shape.household_of(r)), now)
    for h in range(shape.n("household")):
        yield (household_account_id(shape, h), "household", shape.region_id("household", h),
               *place("household", h), now)


def _beneficiary(rng: random.Random, shape: Shape) -> int:
    """A resident; volunteers and party members earn most of the points."""
    residents = shape.counts["residents"]
    for _ in range(8 if rng.random() < 0.7 else 1):
        r = rng.randrange(residents)
        if names.is_volunteer(r + 1) or names.is_party_member(r + 1):
            break
    return r


def write_points(shape: Shape, seed: int, now: dt.datetime) -> dict[str, int]:
    """Default rules, accounts, credits (events and transfers), balances and tallies."""
    rng = random.Random(f"{seed}:points")
    ensure_default_rules(now=now)
    by_type = {r.event_type: r for r in PointsRule.select().where(PointsRule.scope_path == "/")}
    written = {"points_account": bulk.insert(PointsAccount, [
        PointsAccount.id, PointsAccount.kind, PointsAccount.owner_id, PointsAccount.region_path,
        PointsAccount.grid_id, PointsAccount.village_id, PointsAccount.town_id,
        PointsAccount.created_at], _accounts(shape, now))}
    events = shape.counts["transfers"] // 2
    start = now - dt.timedelta(days=540)
    step = (now - dt.timedelta(minutes=5) - start) / max(events, 1)
    transfer_fields = [PointsTransfer.id, PointsTransfer.from_account, PointsTransfer.to_account,
                       PointsTransfer.amount, PointsTransfer.source_ref,
                       PointsTransfer.event_type, PointsTransfer.rule,
                       PointsTransfer.rule_version, PointsTransfer.quantity,
                       PointsTransfer.reason, PointsTransfer.created_by,
                       PointsTransfer.region_path, PointsTransfer.created_at]
    event_fields = [PointsEvent.id, PointsEvent.event_type, PointsEvent.source_ref,
                    PointsEvent.beneficiary_user_id, PointsEvent.beneficiary_household_id,
                    PointsEvent.region_id, PointsEvent.region_path, PointsEvent.quantity,
                    PointsEvent.amount, PointsEvent.reason, PointsEvent.created_by,
                    PointsEvent.status, PointsEvent.transfer_id, PointsEvent.attempts,
                    PointsEvent.occurred_at, PointsEvent.credited_at]
    written.update(points_transfer=0, points_event=0)
    for first in range(1, events + 1, CHUNK):
        transfers, rows = [], []
        for n in range(first, min(events, first + CHUNK - 1) + 1):
            r = _beneficiary(rng, shape)
            h = shape.household_of(r)
            up = shape.ancestors("household", h)
            kind = names.weighted(rng, EVENTS)
            rule = by_type[kind]
            quantity, amount, staff = 1, None, None
            if rule.unit == "hour":
                quantity = rng.choice((60, 90, 120, 180, 240))
            if kind == rules.STAFF_AWARD:
                amount = rng.randrange(5, rule.points + 1)
                staff = shape.staff_id("cadre", up["village"])
            points = (min(amount, rule.points) if kind == rules.STAFF_AWARD
                      else rules.points_for(rule.points, rule.unit, quantity))
            at = start + step * (n - 1)
            ref = f"seed.{kind}:{n}"
            pool_path = shape.path("village", up["village"])
            common = (kind, rule.id, rule.version, quantity, REASONS[kind], staff, pool_path, at)
            transfers.append((2 * n - 1, pool_id(up["village"]), person_id(shape, r), points,
                              ref, *common))
            transfers.append((2 * n, pool_id(up["village"]), household_account_id(shape, h),
                              points, ref + rules.HOUSEHOLD_SUFFIX, *common))
            rows.append((n, kind, ref, r + 1, shape.region_id("household", h),
                         shape.region_id("household", h), shape.path("household", h), quantity,
                         amount, REASONS[kind], staff, "credited", 2 * n - 1, 1, at, at))
        written["points_transfer"] += bulk.insert(PointsTransfer, transfer_fields, transfers)
        written["points_event"] += bulk.insert(PointsEvent, event_fields, rows)
    with database.atomic():
        _balances_and_tallies()
    written["points_tally"] = bulk.count("points_tally")
    return written


def _balances_and_tallies() -> None:
    """Cached balances and tallies from the transfers (the seeded ledger has no reversals or
    redemptions, so a tally is the sum of the credits in its period)."""
    pg = is_postgres(database.obj)
    bulk.timed_sql(
        "points_account",
        "UPDATE points_account SET balance = s.total FROM (SELECT to_account_id AS id, "
        "SUM(amount) AS total FROM points_transfer GROUP BY to_account_id) s "
        "WHERE points_account.id = s.id")
    bulk.timed_sql(
        "points_account",
        "UPDATE points_account SET balance = -s.total FROM (SELECT from_account_id AS id, "
        "SUM(amount) AS total FROM points_transfer GROUP BY from_account_id) s "
        "WHERE points_account.id = s.id")
    local = ("t.created_at + interval '8 hours'" if pg else None)
    periods = ("'all'",
               f"to_char({local}, 'YYYY')" if pg else "strftime('%Y', t.created_at, '+8 hours')",
               f"to_char({local}, 'YYYY-MM')" if pg
               else "strftime('%Y-%m', t.created_at, '+8 hours')")
    for period in periods:
        group = "" if period.startswith("'") else f", {period}"
        bulk.timed_sql(
            "points_tally",
            "INSERT INTO points_tally (account_id, period, account_kind, points, reached_at, "
            f"grid_id, village_id, town_id) SELECT t.to_account_id, {period}, MIN(a.kind), "
            "SUM(t.amount), MAX(t.created_at), MIN(a.grid_id), MIN(a.village_id), "
            "MIN(a.town_id) FROM points_transfer t JOIN points_account a "
            "ON a.id = t.to_account_id WHERE a.kind IN ('person', 'household') "
            f"GROUP BY t.to_account_id{group}")
