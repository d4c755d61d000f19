"""Tables of the points feature: accounts, transfers, rules, events, tallies, store, stars.

``PointsTransfer`` is append-only (the migration installs triggers refusing UPDATE and DELETE):
a correction is a new transfer that names the one it reverses. ``PointsAccount.balance`` and
``PointsTally.points`` are caches maintained in the same transaction as each transfer and
recomputable from the transfers alone (``points.verify_balances`` does so).
"""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel

ACCOUNT_KINDS = ("pool", "person", "household", "sink")


class PointsAccount(BaseModel):
    """One account per (kind, owner): a village's pool (the source every credit comes from, the
    only account allowed below zero), a person (owner = user id), a household (owner = household
    region id) or a village store's redemption sink (owner = village id).

    ``grid_id`` / ``village_id`` / ``town_id`` place the account in rankings: a person's and a
    household's are their household's, refreshed on each credit (someone who moves ranks in the
    new place from their next credit; past months stay where they were earned).
    """

    kind = peewee.CharField(max_length=12)
    owner_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    grid_id = peewee.IntegerField(null=True)
    village_id = peewee.IntegerField(null=True)
    town_id = peewee.IntegerField(null=True)
    balance = peewee.BigIntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "owner_id"), True), (("region_path", "kind", "id"), False))


class PointsRule(BaseModel):
    """Points per event type in a region (``scope_path`` "/" = everywhere), one version at a
    time: a new version closes the previous one (``effective_to``). ``unit`` "hour" rules pay
    ``points`` per hour of service (quantity in minutes, rounded down); for ``staff.award``
    ``points`` is the most one award may give."""

    scope_path = peewee.CharField(max_length=255)
    scope_region_id = peewee.IntegerField(null=True)
    event_type = peewee.CharField(max_length=48)
    name = peewee.CharField(max_length=50)
    version = peewee.IntegerField()
    points = peewee.IntegerField()
    unit = peewee.CharField(max_length=8, default="event")
    effective_from = peewee.DateTimeField()
    effective_to = peewee.DateTimeField(null=True)
    reason = peewee.CharField(max_length=200, default="")
    created_by = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("scope_path", "event_type", "version"), True),
                   (("event_type", "scope_path", "effective_from"), False))


class PointsTransfer(BaseModel):
    """One immutable movement of ``amount`` (> 0) points, unique by ``source_ref``."""

    from_account = peewee.ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
    to_account = peewee.ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
    amount = peewee.IntegerField()
    source_ref = peewee.CharField(max_length=191, unique=True)
    event_type = peewee.CharField(max_length=48)
    rule = peewee.ForeignKeyField(PointsRule, null=True, on_delete="RESTRICT", index=False)
    rule_version = peewee.IntegerField(null=True)
    quantity = peewee.IntegerField(null=True)
    reason = peewee.CharField(max_length=200, default="")
    created_by = peewee.IntegerField(null=True)
    reverses = peewee.ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)
    region_path = peewee.CharField(max_length=255)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("to_account", "id"), False), (("from_account", "id"), False),
                   (("reverses",), False), (("region_path", "id"), False))


class PointsEvent(BaseModel):
    """The inbox: an event another feature reported (or a staff award). ``pending`` until a
    rule, the village's pool and a bound beneficiary all exist; then ``credited`` with its
    transfer, or ``no_points`` when the rule gives nothing for it (e.g. 10 minutes at 2/hour)."""

    event_type = peewee.CharField(max_length=48)
    source_ref = peewee.CharField(max_length=160, unique=True)
    beneficiary_user_id = peewee.IntegerField(null=True)
    beneficiary_household_id = peewee.IntegerField(null=True)
    region_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    quantity = peewee.IntegerField(default=1)
    amount = peewee.IntegerField(null=True)
    reason = peewee.CharField(max_length=200, default="")
    created_by = peewee.IntegerField(null=True)
    status = peewee.CharField(max_length=12, default="pending")
    waiting_for = peewee.CharField(max_length=24, null=True)
    transfer_id = peewee.IntegerField(null=True)
    attempts = peewee.IntegerField(default=0)
    occurred_at = peewee.DateTimeField(default=utcnow)
    credited_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "id"), False), (("region_path", "status", "id"), False))


class PointsTally(BaseModel):
    """Points earned by an account in one period (``all``, ``2026``, ``2026-11`` in Shanghai
    time): credits from a pool minus their reversals, redemptions not deducted. ``reached_at``
    is when the tally last changed: ties rank the earlier one first. Rankings read the
    indexes ``(grid_id | village_id | town_id, account_kind, period, points DESC, reached_at,
    account_id)`` that migration 0009 creates (peewee cannot declare a DESC column)."""

    account = peewee.ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
    period = peewee.CharField(max_length=8)
    account_kind = peewee.CharField(max_length=12)
    points = peewee.BigIntegerField(default=0)
    reached_at = peewee.DateTimeField()
    grid_id = peewee.IntegerField(null=True)
    village_id = peewee.IntegerField(null=True)
    town_id = peewee.IntegerField(null=True)

    class Meta:
        primary_key = peewee.CompositeKey("account", "period")


class StarScheme(BaseModel):
    """Star thresholds for people or households in a region; the latest version of the most
    specific scope applies. ``period_kind`` "all" counts all-time points, "year" this year's."""

    scope_path = peewee.CharField(max_length=255)
    scope_region_id = peewee.IntegerField(null=True)
    account_kind = peewee.CharField(max_length=12)
    period_kind = peewee.CharField(max_length=8)
    thresholds = peewee.CharField(max_length=200)  # JSON list of increasing integers
    version = peewee.IntegerField()
    created_by = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("scope_path", "account_kind", "version"), True),)


class StoreItem(BaseModel):
    """A good at a village's 爱心超市: costs ``cost`` points, ``stock`` never below zero."""

    village_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    name = peewee.CharField(max_length=50)
    description = peewee.CharField(max_length=500, default="")
    cost = peewee.IntegerField()
    stock = peewee.IntegerField(default=0)
    active = peewee.BooleanField(default=True)
    created_by = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("region_path", "active", "id"), False),)


class Redemption(BaseModel):
    """A resident's redemption: points debited and stock taken at once; staff then confirm the
    hand-over, or it is cancelled (points refunded by a reversing transfer, stock put back)."""

    item = peewee.ForeignKeyField(StoreItem, on_delete="RESTRICT", index=False)
    account = peewee.ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
    user_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    quantity = peewee.IntegerField()
    points = peewee.IntegerField()
    transfer = peewee.ForeignKeyField(PointsTransfer, unique=True, on_delete="RESTRICT")
    status = peewee.CharField(max_length=12, default="reserved")
    created_at = peewee.DateTimeField(default=utcnow)
    handed_over_at = peewee.DateTimeField(null=True)
    handed_over_by = peewee.IntegerField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)
    cancelled_by = peewee.IntegerField(null=True)
    cancel_reason = peewee.CharField(max_length=200, default="")
    refund_transfer_id = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("region_path", "status", "id"), False), (("user_id", "id"), False))
