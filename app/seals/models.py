"""Tables of 公章监管: the seals of a village and the append-only log of their uses.

A seal use is never changed or deleted (the migration installs triggers refusing both): it is on
the transparency log the moment it is recorded. ``applicant_name`` is for staff only.
"""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.notices.models import Notice
from app.powers.models import PowerItem
from app.regions.models import Region


class Seal(BaseModel):
    """An official seal of a village (村委会公章, 党支部章, 财务专用章 …) and its keeper."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    name = peewee.CharField(max_length=50)
    kind = peewee.CharField(max_length=16)
    keeper = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "name"), True),)


class SealUse(BaseModel):
    """One use of a seal. ``anomalies`` is the JSON list of the rules' codes at recording."""

    seal = peewee.ForeignKeyField(Seal, on_delete="RESTRICT")
    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    town_id = peewee.IntegerField()
    document = peewee.CharField(max_length=100)
    copies = peewee.SmallIntegerField(default=1)
    purpose = peewee.CharField(max_length=200)
    applicant_name = peewee.CharField(max_length=50)
    applicant_user = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    approver_user = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    power_item = peewee.ForeignKeyField(PowerItem, null=True, on_delete="RESTRICT")
    notice = peewee.ForeignKeyField(Notice, null=True, on_delete="RESTRICT")
    decision_ref = peewee.CharField(max_length=100, default="")
    used_at = peewee.DateTimeField()
    recorded_by = peewee.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    recorded_at = peewee.DateTimeField(default=utcnow)
    anomalies = peewee.TextField(default="[]")
    flagged = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("village_path", "id"), False), (("village_path", "flagged", "id"), False),
                   (("seal", "id"), False))
