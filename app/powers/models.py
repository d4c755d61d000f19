"""Tables of the power list: items (a town's template or a village's list) and their steps."""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class PowerItem(BaseModel):
    """One listed power. On a town with ``is_template`` it is the town's template; on a
    village it is that village's list (``source_template_id`` when copied from a template).
    Codes are unique per region node."""

    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    is_template = peewee.BooleanField(default=False)
    code = peewee.CharField(max_length=32)
    name = peewee.CharField(max_length=100)
    category = peewee.CharField(max_length=24)
    legal_basis = peewee.TextField()
    requires_notice = peewee.BooleanField(default=False)
    active = peewee.BooleanField(default=True)
    source_template_id = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("region", "code"), True), (("region_path", "id"), False))


class PowerStep(BaseModel):
    """One procedure step of an item, in ``seq`` order."""

    item = peewee.ForeignKeyField(PowerItem, backref="steps", on_delete="CASCADE")
    seq = peewee.SmallIntegerField()
    name = peewee.CharField(max_length=100)
    description = peewee.TextField(default="")
    requires_evidence = peewee.BooleanField(default=False)
    evidence_hint = peewee.CharField(max_length=200, default="")

    class Meta:
        indexes = ((("item", "seq"), True),)
