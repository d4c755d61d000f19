"""Media: uploaded images (cleaned of metadata), owned by a user, attachable to one record.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    class User(Base):
        """Only referenced: created by 0001_foundation."""

        class Meta:
            table_name = "user"

    class Media(Base):
        owner = ForeignKeyField(User, on_delete="RESTRICT")
        sha256 = CharField(max_length=64)
        mime = CharField(max_length=32)
        width = IntegerField()
        height = IntegerField()
        size = IntegerField()
        storage_key = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        attached_to = CharField(max_length=64, null=True, index=True)
        attached_at = DateTimeField(null=True)

    db.create_tables([Media])
