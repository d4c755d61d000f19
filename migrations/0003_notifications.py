"""Notifications: the outbox/inbox table and per-template subscribe-message quotas.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    class User(Base):
        """Only the key, for the foreign keys; the table exists since 0001."""

    class Notification(Base):
        channel = CharField(max_length=16)
        recipient_user = ForeignKeyField(User, null=True, on_delete="CASCADE", index=False)
        group_key = CharField(max_length=64, null=True)
        kind = CharField(max_length=64)
        title = CharField(max_length=100)
        body = TextField(default="")
        template_key = CharField(max_length=64, null=True)
        data = TextField(null=True)
        page = CharField(max_length=255, null=True)
        dedupe_key = CharField(max_length=191, unique=True)
        status = CharField(max_length=16, default="pending")
        attempts = IntegerField(default=0)
        quota_taken = BooleanField(default=False)
        next_attempt_at = DateTimeField(null=True)
        lease_until = DateTimeField(null=True)
        last_error = CharField(max_length=64, null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        sent_at = DateTimeField(null=True)
        read_at = DateTimeField(null=True)

        class Meta:
            indexes = (
                (("status", "next_attempt_at"), False),
                (("recipient_user", "id"), False),
            )

    class SubscriptionQuota(Base):
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        template_key = CharField(max_length=64)
        remaining = IntegerField(default=0)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("user", "template_key"), True),)

    db.create_tables([Notification, SubscriptionQuota])
