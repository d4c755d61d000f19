"""Tables of the region tree."""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel


class Region(BaseModel):
    """A node of the tree. ``path`` is the materialised path of ids (see rules.py)."""

    code = peewee.CharField(max_length=32, unique=True)
    name = peewee.CharField(max_length=100)
    level = peewee.CharField(max_length=16)
    parent = peewee.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = peewee.CharField(max_length=255, index=True)
    depth = peewee.SmallIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)

    def __repr__(self) -> str:
        return f"<Region {self.id} {self.level} {self.name}>"
