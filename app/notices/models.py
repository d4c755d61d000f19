"""Tables of 事前公示: the notice and the objections residents file against it."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class Notice(BaseModel):
    """A major decision's publicity before it is taken (draft → published → decided).

    ``period_ends_at`` is fixed at publication (``rules.period_end``). The result and its text
    are set once, when the result is published. Images live in app.media (``notice:<id>``).
    """

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    town_id = peewee.IntegerField()
    matter_type = peewee.CharField(max_length=16)
    matter = peewee.CharField(max_length=100)
    proposal = peewee.TextField()
    objection_days = peewee.SmallIntegerField()
    status = peewee.CharField(max_length=12, default="draft")
    author = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    published_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    published_at = peewee.DateTimeField(null=True)
    period_ends_at = peewee.DateTimeField(null=True)
    result = peewee.CharField(max_length=12, null=True)
    result_text = peewee.TextField(default="")
    decided_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    decided_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = ((("village", "status", "published_at", "id"), False),
                   (("village_path", "status", "id"), False))


class NoticeObjection(BaseModel):
    """A resident's objection. Staff see the objector; the public sees only ``public_text``
    (staff's wording without personal details) with the answer, once answered."""

    notice = peewee.ForeignKeyField(Notice, backref="objections", on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    objector = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    text = peewee.TextField()
    status = peewee.CharField(max_length=12, default="open")
    public_text = peewee.TextField(default="")
    answer = peewee.TextField(default="")
    answered_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    answered_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("notice", "status", "id"), False), (("objector", "id"), False),
                   (("village_path", "status", "id"), False))
