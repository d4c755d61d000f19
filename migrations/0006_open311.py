"""Open311: API clients (integrating organisations) allowed to submit requests.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    class Region(Base):
        """Only referenced: created by 0001_foundation."""

        class Meta:
            table_name = "region"

    class User(Base):
        """Only referenced: created by 0001_foundation."""

        class Meta:
            table_name = "user"

    class Open311Client(Base):
        name = CharField(max_length=100)
        key_hash = CharField(max_length=64, unique=True)  # SHA-256 of the API key
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        user = ForeignKeyField(User, on_delete="RESTRICT")
        active = BooleanField(default=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "open311_client"

    db.create_tables([Open311Client])
