"""Tables of notifications: the outbox/inbox row and residents' subscribe-message quotas.

One ``Notification`` row is both the outbox entry a scheduler job delivers and the item the
recipient reads in the in-app inbox, so a notice that WeChat could not deliver is still seen.
"""

from __future__ import annotations

import json

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel

CHANNELS = ("subscribe", "staff", "group", "in_app")
STATUSES = ("pending", "sending", "sent", "no_quota", "failed", "dead")


class JSONTextField(peewee.TextField):
    """JSON in a text column: the same on SQLite and PostgreSQL, and small here."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False,
                                                     sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class Notification(BaseModel):
    """A notice to one user (or one bot-bound group) and its delivery state.

    ``next_attempt_at`` is when the sender job should next look at the row; while a job holds
    the row (``sending``) it equals ``lease_until``, so one index range on
    ``(status, next_attempt_at)`` finds both due and abandoned rows.
    """

    channel = peewee.CharField(max_length=16)
    recipient_user = peewee.ForeignKeyField(User, null=True, on_delete="CASCADE", index=False)
    group_key = peewee.CharField(max_length=64, null=True)
    kind = peewee.CharField(max_length=64)
    title = peewee.CharField(max_length=100)
    body = peewee.TextField(default="")
    template_key = peewee.CharField(max_length=64, null=True)
    data = JSONTextField(null=True)
    page = peewee.CharField(max_length=255, null=True)
    dedupe_key = peewee.CharField(max_length=191, unique=True)
    status = peewee.CharField(max_length=16, default="pending")
    attempts = peewee.IntegerField(default=0)
    quota_taken = peewee.BooleanField(default=False)
    next_attempt_at = peewee.DateTimeField(null=True)
    lease_until = peewee.DateTimeField(null=True)
    last_error = peewee.CharField(max_length=64, null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    read_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("status", "next_attempt_at"), False),
            (("recipient_user", "id"), False),
        )


class SubscriptionQuota(BaseModel):
    """How many more subscribe messages of one template a user has accepted and we may send."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", index=False)
    template_key = peewee.CharField(max_length=64)
    remaining = peewee.IntegerField(default=0)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "template_key"), True),)
