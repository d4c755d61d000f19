"""The audit table. Append-only: the migration installs triggers refusing UPDATE and DELETE."""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel


class AuditEntry(BaseModel):
    """Who (user and acting role) did what to which object, where and when.

    ``summary`` must hold no personal data (no phones, names of reporters, free text of reports).
    """

    at = peewee.DateTimeField(default=utcnow)
    actor_id = peewee.IntegerField(null=True)
    actor_role = peewee.CharField(max_length=32)
    action = peewee.CharField(max_length=64)
    object_type = peewee.CharField(max_length=32)
    object_id = peewee.CharField(max_length=64)
    region_id = peewee.IntegerField(null=True)
    region_path = peewee.CharField(max_length=255, default="/")
    summary = peewee.TextField(default="")

    class Meta:
        indexes = (
            (("region_path", "id"), False),
            (("object_type", "object_id"), False),
        )
