"""Tables of wishes: the wish, its history, per-town settings and the points outbox."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class Wish(BaseModel):
    """A resident's wish. ``status`` follows ``rules.TRANSITIONS``.

    ``region`` is the wisher's household when they posted it (never shown outside staff);
    ``village`` decides whose wall shows it. ``wisher_name`` and ``claimant_name`` are masked
    when written (``rules.mask_name``): the wall never needs the people's real names.
    ``claim_due_at`` and ``confirm_due_at`` are stored when a claim or a fulfilment starts,
    so a later change of the town's settings does not move a running clock.
    """

    wisher = peewee.ForeignKeyField(User, on_delete="RESTRICT", backref="wishes")
    wisher_name = peewee.CharField(max_length=20)
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    category = peewee.CharField(max_length=16)
    text = peewee.TextField()
    deadline = peewee.DateTimeField(null=True)
    status = peewee.CharField(max_length=16, default="submitted")
    held_for_review = peewee.BooleanField(default=False)
    review_reason = peewee.CharField(max_length=500, default="")
    reviewed_at = peewee.DateTimeField(null=True)
    claimant = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    claimant_name = peewee.CharField(max_length=20, default="")
    claimed_at = peewee.DateTimeField(null=True)
    claim_due_at = peewee.DateTimeField(null=True)
    fulfil_note = peewee.TextField(default="")
    fulfil_note_held = peewee.BooleanField(default=False)
    fulfilled_at = peewee.DateTimeField(null=True)
    confirm_due_at = peewee.DateTimeField(null=True)
    confirmed_at = peewee.DateTimeField(null=True)
    auto_confirmed = peewee.BooleanField(default=False)
    thanks = peewee.TextField(default="")
    thanks_held = peewee.BooleanField(default=False)
    thanked_at = peewee.DateTimeField(null=True)
    closed_reason = peewee.CharField(max_length=500, default="")
    closed_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            (("village", "status", "id"), False),       # the wall
            (("wisher", "id"), False),                  # my wishes
            (("claimant", "id"), False),                # my claims
            (("status", "region_path", "id"), False),   # staff queues by scope
            (("status", "claim_due_at"), False),        # wishes.expire_claims
            (("status", "confirm_due_at"), False),      # wishes.auto_confirm
        )


class WishEvent(BaseModel):
    """One step of a wish's history; ``public`` steps are shown to whoever sees the wish."""

    wish = peewee.ForeignKeyField(Wish, backref="events", on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow)
    actor_id = peewee.IntegerField(null=True)
    actor_role = peewee.CharField(max_length=32)
    action = peewee.CharField(max_length=24)
    from_status = peewee.CharField(max_length=16, null=True)
    to_status = peewee.CharField(max_length=16, null=True)
    note = peewee.TextField(default="")
    public = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("wish", "id"), False),)


class WishSettings(BaseModel):
    """A town's choices: days a claim may stay unfulfilled, days before auto-confirmation."""

    town = peewee.ForeignKeyField(Region, unique=True, on_delete="CASCADE")
    claim_days = peewee.SmallIntegerField()
    auto_confirm_days = peewee.SmallIntegerField()
    updated_at = peewee.DateTimeField(default=utcnow)


class WishPointsEvent(BaseModel):
    """Outbox of points events for the 微星光 ledger (see ``app.wishes.points``).

    One row per fulfilled wish, written in the transaction that confirms it; ``source_ref``
    is unique so a retry can never credit twice. ``status``: pending → delivered.
    """

    event_type = peewee.CharField(max_length=32)
    source_ref = peewee.CharField(max_length=64, unique=True)
    beneficiary_user_id = peewee.IntegerField()
    region_id = peewee.IntegerField()
    quantity = peewee.IntegerField(default=1)
    status = peewee.CharField(max_length=12, default="pending")
    created_at = peewee.DateTimeField(default=utcnow)
    delivered_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "wish_points_event"
        indexes = ((("status", "id"), False),)
