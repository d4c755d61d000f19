"""Tables of the calendar: the staff-maintained days and the revision that invalidates caches.

``calendar_day`` overrides and extends the chinese-calendar package (e.g. next year's schedule
before the package knows it). ``calendar_revision`` holds one row whose token changes, in the
same transaction, with every change to ``calendar_day``; each process compares it to the token
its cached calendar was built from.
"""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel

KINDS = ("holiday", "workday")
KIND_NAMES = {"holiday": "放假", "workday": "调休上班"}


class CalendarDay(BaseModel):
    """One day staff declared a holiday (rest) or a workday (makeup working day)."""

    day = peewee.DateField(unique=True)
    kind = peewee.CharField(max_length=8,
                            constraints=[peewee.Check("kind IN ('holiday', 'workday')")])
    name = peewee.CharField(max_length=50, default="")  # 春节, 国庆节调休 …
    note = peewee.CharField(max_length=200, default="")
    updated_by = peewee.IntegerField(null=True)  # user id; no FK so the row outlives the user
    updated_at = peewee.DateTimeField(default=utcnow)


class CalendarRevision(BaseModel):
    """A single row (id 1); ``token`` is a fresh random value after every calendar change."""

    id = peewee.IntegerField(primary_key=True)
    token = peewee.CharField(max_length=32)
