"""Calendar: staff-maintained holidays and makeup working days, and their cache revision.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import CharField, Check, DateField, DateTimeField, IntegerField

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    class CalendarDay(Base):
        day = DateField(unique=True)
        kind = CharField(max_length=8, constraints=[Check("kind IN ('holiday', 'workday')")])
        name = CharField(max_length=50, default="")
        note = CharField(max_length=200, default="")
        updated_by = IntegerField(null=True)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

    class CalendarRevision(Base):
        id = IntegerField(primary_key=True)
        token = CharField(max_length=32)

    db.create_tables([CalendarDay, CalendarRevision])
