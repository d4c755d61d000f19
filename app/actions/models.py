"""Tables of actions: approved organisers, actions, and each volunteer's sign-up/attendance."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel


class ActionOrganiser(BaseModel):
    """A resident approved by staff to organise actions inside ``region_path`` (e.g. the lead
    of a volunteer team). Revoking keeps the row for the record."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", index=False)
    region_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    approved_by = peewee.IntegerField()
    created_at = peewee.DateTimeField(default=utcnow)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "revoked_at"), False), (("region_path", "id"), False))


class Action(BaseModel):
    """A service activity. Residents whose household lies in ``region_path`` may sign up;
    ``taken`` counts confirmed places (≤ ``capacity``); ``issuer_region_id`` is the village
    (or town) whose committee certifies the service. ``version`` is bumped by every sign-up
    change, which also serialises them on PostgreSQL (a row lock on the action)."""

    title = peewee.CharField(max_length=100)
    description = peewee.TextField(default="")
    place = peewee.CharField(max_length=200)
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    capacity = peewee.IntegerField()
    taken = peewee.IntegerField(default=0)
    region_id = peewee.IntegerField()
    region_path = peewee.CharField(max_length=255)
    issuer_region_id = peewee.IntegerField()
    skills = peewee.TextField(default="[]")
    points_event_type = peewee.CharField(max_length=48, default="action.attended")
    cancel_close_minutes = peewee.IntegerField(default=120)
    status = peewee.CharField(max_length=12, default="open")
    organiser = peewee.ForeignKeyField(User, on_delete="RESTRICT", index=False)
    created_at = peewee.DateTimeField(default=utcnow)
    cancelled_at = peewee.DateTimeField(null=True)
    cancel_reason = peewee.CharField(max_length=200, default="")
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "action"
        indexes = ((("region_path", "starts_at"), False), (("organiser", "id"), False),
                   (("starts_at",), False))


class ActionSignup(BaseModel):
    """One resident's place on an action and their attendance.

    ``status``: confirmed | waitlisted | cancelled. ``attendance``: none (not yet) → pending
    (checked out, awaiting the organiser) → confirmed or rejected. ``minutes`` is the service
    time the organiser confirmed (or corrected, with ``decision_reason``); ``points_ref`` the
    source reference of the points it earned.
    """

    action = peewee.ForeignKeyField(Action, on_delete="CASCADE", index=False)
    user = peewee.ForeignKeyField(User, on_delete="CASCADE", index=False)
    status = peewee.CharField(max_length=12)
    queued_at = peewee.DateTimeField(default=utcnow)
    checked_in_at = peewee.DateTimeField(null=True)
    checked_out_at = peewee.DateTimeField(null=True)
    attendance = peewee.CharField(max_length=12, default="none")
    minutes = peewee.IntegerField(null=True)
    corrected = peewee.BooleanField(default=False)
    decision_reason = peewee.CharField(max_length=200, default="")
    decided_by = peewee.IntegerField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    points_ref = peewee.CharField(max_length=160, null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("action", "user"), True), (("action", "status", "queued_at"), False),
                   (("user", "id"), False))
