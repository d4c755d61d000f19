"""Actions (微行动): approved organisers, actions, sign-ups with attendance.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    TextField,
)

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    User = frozen.table_stub(Base, "User", "user")

    class ActionOrganiser(Base):
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        region_id = IntegerField()
        region_path = CharField(max_length=255)
        approved_by = IntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        revoked_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("user", "revoked_at"), False), (("region_path", "id"), False))

    class Action(Base):
        title = CharField(max_length=100)
        description = TextField(default="")
        place = CharField(max_length=200)
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        capacity = IntegerField()
        taken = IntegerField(default=0)
        region_id = IntegerField()
        region_path = CharField(max_length=255)
        issuer_region_id = IntegerField()
        skills = TextField(default="[]")
        points_event_type = CharField(max_length=48, default="action.attended")
        cancel_close_minutes = IntegerField(default=120)
        status = CharField(max_length=12, default="open")
        organiser = ForeignKeyField(User, on_delete="RESTRICT", index=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        cancelled_at = DateTimeField(null=True)
        cancel_reason = CharField(max_length=200, default="")
        version = IntegerField(default=1)

        class Meta:
            table_name = "action"
            indexes = ((("region_path", "starts_at"), False), (("organiser", "id"), False),
                       (("starts_at",), False))
            constraints = [Check("taken >= 0 AND taken <= capacity"), Check("ends_at > starts_at")]

    class ActionSignup(Base):
        action = ForeignKeyField(Action, on_delete="CASCADE", index=False)
        user = ForeignKeyField(User, on_delete="CASCADE", index=False)
        status = CharField(max_length=12)
        queued_at = DateTimeField(default=datetime.datetime.utcnow)
        checked_in_at = DateTimeField(null=True)
        checked_out_at = DateTimeField(null=True)
        attendance = CharField(max_length=12, default="none")
        minutes = IntegerField(null=True)
        corrected = BooleanField(default=False)
        decision_reason = CharField(max_length=200, default="")
        decided_by = IntegerField(null=True)
        decided_at = DateTimeField(null=True)
        points_ref = CharField(max_length=160, null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("action", "user"), True), (("action", "status", "queued_at"), False),
                       (("user", "id"), False))

    db.create_tables([ActionOrganiser, Action, ActionSignup])
    if isinstance(db, PostgresqlDatabase):
        for table in ("action_organiser", "action"):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "region_path" '
                           'TYPE varchar(255) COLLATE "C"')
