"""A small expiring key-value table, the shared cache when Redis is not configured.

Used for the WeChat access token so every process (web workers, scheduler, bot) shares one token
instead of each fetching its own.
"""

from __future__ import annotations

import datetime as dt

import peewee

from app.clock import utcnow
from app.db import BaseModel, database


class KeyValue(BaseModel):
    key = peewee.CharField(max_length=191, primary_key=True)
    value = peewee.TextField()
    expires_at = peewee.DateTimeField(null=True)


def get_value(key: str) -> str | None:
    row = KeyValue.get_or_none(KeyValue.key == key)
    if row is None or (row.expires_at is not None and row.expires_at <= utcnow()):
        return None
    return row.value


def set_value(key: str, value: str, ttl_seconds: int | None = None) -> None:
    expires = utcnow() + dt.timedelta(seconds=ttl_seconds) if ttl_seconds else None
    with database.atomic():
        (KeyValue.insert(key=key, value=value, expires_at=expires)
         .on_conflict(conflict_target=[KeyValue.key],
                      update={KeyValue.value: value, KeyValue.expires_at: expires})
         .execute())


def delete_value(key: str) -> None:
    KeyValue.delete().where(KeyValue.key == key).execute()
