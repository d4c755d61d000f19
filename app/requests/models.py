"""Tables of the requests feature: units, routing, categories, requests, tasks, timeline."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class HandlingUnit(BaseModel):
    """A unit that handles requests: a grid, a village, or a town department.

    ``responsibilities`` is the unit's responsibility list (JSON list of clause strings); a
    return (退单) must cite one of them.
    """

    name = peewee.CharField(max_length=100)
    kind = peewee.CharField(max_length=16)  # grid | village | department
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    responsibilities = peewee.TextField(default="[]")
    active = peewee.BooleanField(default=True)


class UnitMember(BaseModel):
    unit = peewee.ForeignKeyField(HandlingUnit, backref="members", on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        indexes = ((("unit", "user"), True), (("user",), False))


class RequestCategory(BaseModel):
    """A category offered to residents; ``town`` None = the default list for every town."""

    town = peewee.ForeignKeyField(Region, null=True, on_delete="CASCADE")
    code = peewee.CharField(max_length=32)
    name = peewee.CharField(max_length=50)
    resolve_days = peewee.SmallIntegerField(null=True)
    active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("town", "code"), True),)


class RoutingRule(BaseModel):
    """属地属事: requests of ``category_code`` (any when empty) inside ``region`` go to ``unit``.

    The most specific region wins (the longest path).
    """

    category_code = peewee.CharField(max_length=32, default="")
    region = peewee.ForeignKeyField(Region, on_delete="CASCADE")
    region_path = peewee.CharField(max_length=255)
    unit = peewee.ForeignKeyField(HandlingUnit, on_delete="CASCADE")

    class Meta:
        indexes = ((("category_code", "region_path"), False),)


class Request(BaseModel):
    """A resident's tracked request. ``next_due_at`` is the earliest time the scheduler must
    look at it again (acceptance or resolution deadline step); the escalation job reads only
    rows with ``next_due_at <= now``, so its cost follows the due items, not the table size."""

    tracking_no = peewee.CharField(max_length=20, unique=True)
    type = peewee.CharField(max_length=16)
    category_code = peewee.CharField(max_length=32)
    text = peewee.TextField()
    channel = peewee.CharField(max_length=16)
    submitter = peewee.ForeignKeyField(User, on_delete="RESTRICT", backref="requests")
    entered_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    village_id = peewee.IntegerField(null=True)  # denormalised for statistics by village/grid
    grid_id = peewee.IntegerField(null=True)
    address_text = peewee.CharField(max_length=200, default="")
    status = peewee.CharField(max_length=24, default="submitted")
    held_for_review = peewee.BooleanField(default=False)
    mediation_code = peewee.CharField(max_length=8, null=True)
    lead_unit = peewee.ForeignKeyField(HandlingUnit, null=True, on_delete="SET NULL")
    hop_count = peewee.SmallIntegerField(default=0)
    reopen_count = peewee.SmallIntegerField(default=0)
    overdue_count = peewee.SmallIntegerField(default=0)
    flagged_hard = peewee.BooleanField(default=False)
    escalation_level = peewee.SmallIntegerField(default=0)
    accept_deadline = peewee.DateTimeField()
    resolve_deadline = peewee.DateTimeField(null=True)
    paused_at = peewee.DateTimeField(null=True)
    extension_days_pending = peewee.SmallIntegerField(null=True)
    next_due_at = peewee.DateTimeField(null=True)
    merged_into = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
    rating = peewee.CharField(max_length=12, null=True)
    rating_comment = peewee.CharField(max_length=500, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    accepted_at = peewee.DateTimeField(null=True)
    dispatched_at = peewee.DateTimeField(null=True)
    resolved_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "request"
        indexes = (
            (("next_due_at",), False),
            (("region_path", "status", "id"), False),
            (("submitter", "id"), False),
            (("lead_unit", "status"), False),
            (("village_id", "created_at"), False),
            # Open311 lists and statistics filter on a created_at window.
            (("created_at",), False),
        )
        # Also the partial index request_open_id (id) WHERE status IN (queries.ACTIVE), made
        # by migration 0017 in raw SQL; queries.py repeats its condition literally.


class RequestTask(BaseModel):
    """A unit's share of a request: one lead, any number of assists (联合办理)."""

    request = peewee.ForeignKeyField(Request, backref="tasks", on_delete="CASCADE")
    unit = peewee.ForeignKeyField(HandlingUnit, on_delete="RESTRICT")
    role = peewee.CharField(max_length=8)  # lead | assist
    status = peewee.CharField(max_length=12, default="open")  # open | done | returned
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    done_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("unit", "status"), False),)


class TimelineEntry(BaseModel):
    """One step of a request's history, shown to the resident when ``public``."""

    request = peewee.ForeignKeyField(Request, backref="timeline", on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow)
    actor_id = peewee.IntegerField(null=True)
    actor_role = peewee.CharField(max_length=32)
    action = peewee.CharField(max_length=32)
    from_status = peewee.CharField(max_length=24, null=True)
    to_status = peewee.CharField(max_length=24, null=True)
    label = peewee.CharField(max_length=100)
    note = peewee.TextField(default="")
    public = peewee.BooleanField(default=True)
    details = peewee.TextField(default="{}")

    class Meta:
        indexes = ((("request", "id"), False),)


class RequestFollower(BaseModel):
    """A resident who reported the same thing (我也遇到) or whose duplicate was merged here."""

    request = peewee.ForeignKeyField(Request, backref="followers", on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("request", "user"), True),)


class TrackingCounter(BaseModel):
    """Per-day sequence behind tracking numbers (R20261122-0007)."""

    day = peewee.CharField(max_length=8, primary_key=True)
    seq = peewee.IntegerField(default=0)
