"""The media table: one row per stored (already cleaned) image."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel


class Media(BaseModel):
    """An uploaded image after cleaning; the bytes live in storage under ``storage_key``.

    ``storage_key`` is random and never derived from the client's filename. ``sha256``, ``size``,
    ``width`` and ``height`` describe the stored bytes, not the upload. ``attached_to`` names the
    record that uses the image (``"request:12"``); NULL until a feature attaches it, and an
    attached image is never re-attached elsewhere.
    """

    owner = peewee.ForeignKeyField(User, backref="media", on_delete="RESTRICT")
    sha256 = peewee.CharField(max_length=64)
    mime = peewee.CharField(max_length=32)
    width = peewee.IntegerField()
    height = peewee.IntegerField()
    size = peewee.IntegerField()
    storage_key = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    attached_to = peewee.CharField(max_length=64, null=True, index=True)
    attached_at = peewee.DateTimeField(null=True)
