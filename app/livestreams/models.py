"""Tables of livestreams."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.notices.models import Notice
from app.regions.models import Region


class Livestream(BaseModel):
    """A livestreamed major decision of a village (scheduled → held, or cancelled).

    ``announced_at`` / ``reminded_at`` record the group messages (each sent once);
    ``disclosure_id`` is the disclosure drafted from its minutes and result.
    """

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    matter_type = peewee.CharField(max_length=16)
    title = peewee.CharField(max_length=100)
    link = peewee.CharField(max_length=500)
    starts_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=12, default="scheduled")
    notice = peewee.ForeignKeyField(Notice, null=True, on_delete="RESTRICT")
    announced_at = peewee.DateTimeField(null=True)
    reminded_at = peewee.DateTimeField(null=True)
    cancel_reason = peewee.CharField(max_length=200, default="")
    disclosure_id = peewee.IntegerField(null=True)
    created_by = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = ((("status", "starts_at"), False), (("village_path", "id"), False),
                   (("village", "starts_at"), False))
