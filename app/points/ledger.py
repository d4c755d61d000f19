"""The ledger engine: accounts, posting transfers, and explaining a balance line by line.

Helpers here run inside the caller's transaction and never commit (see :mod:`app.points.tx`).
:func:`post` is the only writer of transfers, cached balances and tallies, so the three agree
by construction:

1. each transfer is inserted with ``ON CONFLICT DO NOTHING`` on ``source_ref``: a retry or a
   concurrent duplicate finds the first one and changes nothing (``created`` is False);
2. balances change by conditional updates in account-id order — ``balance + x``, and for a
   debit ``WHERE balance >= x`` — so no account but a pool goes below zero, whatever runs at
   the same time (a refused debit raises and the whole transaction rolls back);
3. earned tallies (all time, year, month) of the credited account are upserted in the same
   transaction; a reversal counts against the periods of the credit it reverses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee

from app.errors import Conflict
from app.points import rules
from app.points.models import PointsAccount, PointsRule, PointsTally, PointsTransfer
from app.regions.models import Region
from app.regions.rules import path_ids


@dataclass(frozen=True)
class Place:
    """Where an account ranks: its region path and its grid / village / town ids."""

    region_path: str
    grid_id: int | None = None
    village_id: int | None = None
    town_id: int | None = None


def place_of(region_path: str) -> Place:
    """The grid, village and town above (or at) ``region_path`` (one primary-key query)."""
    levels = dict(Region.select(Region.level, Region.id)
                  .where(Region.id.in_(path_ids(region_path) or [0])).tuples())
    return Place(region_path, levels.get("grid"), levels.get("village"), levels.get("town"))


def find_account(kind: str, owner_id: int) -> PointsAccount | None:
    return PointsAccount.get_or_none((PointsAccount.kind == kind)
                                     & (PointsAccount.owner_id == owner_id))


def ensure_account(kind: str, owner_id: int, place: Place, now: dt.datetime) -> PointsAccount:
    """The (kind, owner) account, created at ``place`` if it does not exist yet."""
    found = find_account(kind, owner_id)
    if found is not None:
        return found
    (PointsAccount.insert(kind=kind, owner_id=owner_id, region_path=place.region_path,
                          grid_id=place.grid_id, village_id=place.village_id,
                          town_id=place.town_id, balance=0, created_at=now)
     .on_conflict_ignore().execute())
    return find_account(kind, owner_id)


@dataclass
class Leg:
    """One transfer to post. ``place`` (optional) moves the receiving person or household
    account to where it now ranks, in the same statement that changes its balance."""

    source: PointsAccount
    target: PointsAccount
    amount: int
    source_ref: str
    event_type: str
    rule: PointsRule | None = None
    quantity: int | None = None
    reason: str = ""
    created_by: int | None = None
    reverses: PointsTransfer | None = None
    place: Place | None = None


@dataclass
class Posted:
    transfers: list[PointsTransfer]
    created: bool
    deltas: dict[int, int] = field(default_factory=dict)


def post(legs: list[Leg], *, region_path: str, now: dt.datetime) -> Posted:
    """Post ``legs`` as one unit keyed by the first leg's ``source_ref``.

    If that reference exists already the existing transfers are returned and nothing changes.
    Raises Conflict ``points.insufficient_balance`` when a debit would take a non-pool
    account below zero (the caller's transaction then rolls back entirely).
    """
    for leg in legs:
        if leg.amount <= 0:
            raise ValueError("a transfer moves a positive amount")
    first = legs[0]
    inserted = _insert(first, region_path, now)
    if not inserted:
        refs = [leg.source_ref for leg in legs]
        rows = list(PointsTransfer.select().where(PointsTransfer.source_ref.in_(refs))
                    .order_by(PointsTransfer.id))
        return Posted(rows, False)
    for leg in legs[1:]:
        if not _insert(leg, region_path, now):
            raise Conflict("points.source_ref_taken", "积分来源编号已被使用")
    deltas: dict[int, int] = {}
    kinds: dict[int, PointsAccount] = {}
    places: dict[int, Place] = {}
    for leg in legs:
        deltas[leg.source.id] = deltas.get(leg.source.id, 0) - leg.amount
        deltas[leg.target.id] = deltas.get(leg.target.id, 0) + leg.amount
        kinds[leg.source.id], kinds[leg.target.id] = leg.source, leg.target
        if leg.place is not None:
            places[leg.target.id] = leg.place
    for account_id in sorted(deltas):
        _apply_balance(kinds[account_id], deltas[account_id], places.get(account_id))
    _apply_tallies(legs, places, now)
    refs = [leg.source_ref for leg in legs]
    rows = list(PointsTransfer.select().where(PointsTransfer.source_ref.in_(refs))
                .order_by(PointsTransfer.id))
    return Posted(rows, True, deltas)


def _insert(leg: Leg, region_path: str, now: dt.datetime) -> bool:
    count = (PointsTransfer.insert(
        from_account=leg.source.id, to_account=leg.target.id, amount=leg.amount,
        source_ref=leg.source_ref, event_type=leg.event_type,
        rule=leg.rule.id if leg.rule else None,
        rule_version=leg.rule.version if leg.rule else None, quantity=leg.quantity,
        reason=leg.reason[:200], created_by=leg.created_by,
        reverses=leg.reverses.id if leg.reverses else None, region_path=region_path,
        created_at=now).on_conflict_ignore().as_rowcount().execute())
    return count == 1


def _apply_balance(account: PointsAccount, delta: int, place: Place | None) -> None:
    changes: dict = {PointsAccount.balance: PointsAccount.balance + delta}
    if place is not None:
        changes.update({PointsAccount.region_path: place.region_path,
                        PointsAccount.grid_id: place.grid_id,
                        PointsAccount.village_id: place.village_id,
                        PointsAccount.town_id: place.town_id})
    cond = PointsAccount.id == account.id
    if delta < 0 and account.kind != "pool":
        cond &= PointsAccount.balance >= -delta
    if PointsAccount.update(changes).where(cond).execute() != 1:
        raise Conflict("points.insufficient_balance", "积分余额不足",
                       details={"account_id": account.id})
    account.balance += delta
    if place is not None:
        account.region_path, account.grid_id = place.region_path, place.grid_id
        account.village_id, account.town_id = place.village_id, place.town_id


def _apply_tallies(legs: list[Leg], places: dict[int, Place], now: dt.datetime) -> None:
    """Earned points: +amount for a credit from a pool; −amount for the reversal of one,
    counted in the periods of the credit it reverses."""
    changes: dict[tuple[int, str], tuple[PointsAccount, int]] = {}
    for leg in legs:
        if leg.source.kind == "pool":
            account, delta, at = leg.target, leg.amount, now
        elif leg.target.kind == "pool" and leg.reverses is not None:
            account, delta, at = leg.source, -leg.amount, leg.reverses.created_at
        else:
            continue
        for period in rules.period_keys(at):
            key = (account.id, period)
            previous = changes.get(key, (account, 0))[1]
            changes[key] = (account, previous + delta)
    rows = []
    for (account_id, period), (account, delta) in sorted(changes.items(),
                                                          key=lambda item: item[0]):
        place = places.get(account_id) or Place(account.region_path, account.grid_id,
                                                 account.village_id, account.town_id)
        rows.append({"account": account_id, "period": period, "account_kind": account.kind,
                     "points": delta, "reached_at": now, "grid_id": place.grid_id,
                     "village_id": place.village_id, "town_id": place.town_id})
    if rows:  # one statement, rows in key order (the lock order)
        (PointsTally.insert_many(rows)
         .on_conflict(conflict_target=[PointsTally.account, PointsTally.period],
                      update={PointsTally.points: PointsTally.points + peewee.EXCLUDED.points,
                              PointsTally.reached_at: peewee.EXCLUDED.reached_at,
                              PointsTally.grid_id: peewee.EXCLUDED.grid_id,
                              PointsTally.village_id: peewee.EXCLUDED.village_id,
                              PointsTally.town_id: peewee.EXCLUDED.town_id})
         .execute())


def reversed_amount(transfer_id: int) -> int:
    """How much of a transfer its reversals have given back so far."""
    return int(PointsTransfer.select(peewee.fn.COALESCE(peewee.fn.SUM(PointsTransfer.amount), 0))
               .where(PointsTransfer.reverses == transfer_id).scalar() or 0)


def signed_sum(account_id: int, *, up_to_id: int | None = None) -> int:
    """Credits minus debits of an account (optionally of its lines with id ≤ ``up_to_id``)."""
    credit = PointsTransfer.select(peewee.fn.COALESCE(peewee.fn.SUM(PointsTransfer.amount), 0))
    debit = PointsTransfer.select(peewee.fn.COALESCE(peewee.fn.SUM(PointsTransfer.amount), 0))
    credit = credit.where(PointsTransfer.to_account == account_id)
    debit = debit.where(PointsTransfer.from_account == account_id)
    if up_to_id is not None:
        credit = credit.where(PointsTransfer.id <= up_to_id)
        debit = debit.where(PointsTransfer.id <= up_to_id)
    return int(credit.scalar() or 0) - int(debit.scalar() or 0)


@dataclass(frozen=True)
class Line:
    """One line of an account's statement, with the rule that produced it."""

    id: int
    at: dt.datetime
    amount: int  # signed: + in, − out
    balance_after: int
    event_type: str
    event_name: str
    source_ref: str
    counterparty_kind: str
    quantity: int | None
    reason: str
    reverses_id: int | None
    rule_id: int | None
    rule_version: int | None
    rule_points: int | None
    rule_unit: str | None


@dataclass(frozen=True)
class Statement:
    account: PointsAccount
    lines: list[Line]
    next_before_id: int | None


def explain_balance(account: PointsAccount, *, before_id: int | None = None,
                    limit: int = 50) -> Statement:
    """Every line of ``account``, newest first (keyset: lines with id < ``before_id``), each
    with the rule and version that produced it and the balance after it."""
    mine = (PointsTransfer.to_account == account.id) | (PointsTransfer.from_account == account.id)
    query = (PointsTransfer.select(PointsTransfer, PointsRule)
             .join(PointsRule, peewee.JOIN.LEFT_OUTER,
                   on=(PointsTransfer.rule == PointsRule.id))
             .where(mine))
    if before_id is not None:
        query = query.where(PointsTransfer.id < before_id)
    rows = list(query.order_by(PointsTransfer.id.desc()).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    others = {row.from_account_id if row.to_account_id == account.id else row.to_account_id
              for row in rows}
    kinds = dict(PointsAccount.select(PointsAccount.id, PointsAccount.kind)
                 .where(PointsAccount.id.in_(list(others) or [0])).tuples())
    running = signed_sum(account.id, up_to_id=rows[0].id) if rows else 0
    lines = []
    for row in rows:
        incoming = row.to_account_id == account.id
        amount = row.amount if incoming else -row.amount
        other = row.from_account_id if incoming else row.to_account_id
        rule = row.rule if row.rule_id else None
        lines.append(Line(
            row.id, row.created_at, amount, running, row.event_type, event_name(row, rule),
            row.source_ref, kinds.get(other, ""), row.quantity, row.reason, row.reverses_id,
            row.rule_id, row.rule_version, rule.points if rule else None,
            rule.unit if rule else None))
        running -= amount
    return Statement(account, lines, rows[-1].id if more and rows else None)


def event_name(transfer: PointsTransfer, rule: PointsRule | None) -> str:
    if transfer.reverses_id is not None:
        return "冲正" if transfer.event_type != rules.REDEMPTION else "兑换退回"
    if rule is not None:
        return rule.name
    if transfer.event_type == rules.REDEMPTION:
        return "爱心超市兑换"
    return rules.EVENT_TYPES.get(transfer.event_type, (transfer.event_type,))[0]
