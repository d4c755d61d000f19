"""Requests: handling units, routing rules, categories, requests, tasks, timeline, counters.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)

from migrations import _frozen as frozen


def up(migrator, db):
    Base = frozen.base_model(db)

    Region = frozen.table_stub(Base, "Region", "region")

    User = frozen.table_stub(Base, "User", "user")

    class HandlingUnit(Base):
        name = CharField(max_length=100)
        kind = CharField(max_length=16)  # grid | village | department
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        responsibilities = TextField(default="[]")
        active = BooleanField(default=True)


    class UnitMember(Base):
        unit = ForeignKeyField(HandlingUnit, backref="members", on_delete="CASCADE")
        user = ForeignKeyField(User, on_delete="CASCADE")

        class Meta:
            indexes = ((("unit", "user"), True), (("user",), False))


    class RequestCategory(Base):
        town = ForeignKeyField(Region, null=True, on_delete="CASCADE")
        code = CharField(max_length=32)
        name = CharField(max_length=50)
        resolve_days = SmallIntegerField(null=True)
        active = BooleanField(default=True)

        class Meta:
            indexes = ((("town", "code"), True),)


    class RoutingRule(Base):
        category_code = CharField(max_length=32, default="")
        region = ForeignKeyField(Region, on_delete="CASCADE")
        region_path = CharField(max_length=255)
        unit = ForeignKeyField(HandlingUnit, on_delete="CASCADE")

        class Meta:
            indexes = ((("category_code", "region_path"), False),)


    class Request(Base):
        tracking_no = CharField(max_length=20, unique=True)
        type = CharField(max_length=16)
        category_code = CharField(max_length=32)
        text = TextField()
        channel = CharField(max_length=16)
        submitter = ForeignKeyField(User, on_delete="RESTRICT", backref="requests")
        entered_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        village_id = IntegerField(null=True)
        grid_id = IntegerField(null=True)
        address_text = CharField(max_length=200, default="")
        status = CharField(max_length=24, default="submitted")
        held_for_review = BooleanField(default=False)
        mediation_code = CharField(max_length=8, null=True)
        lead_unit = ForeignKeyField(HandlingUnit, null=True, on_delete="SET NULL")
        hop_count = SmallIntegerField(default=0)
        reopen_count = SmallIntegerField(default=0)
        overdue_count = SmallIntegerField(default=0)
        flagged_hard = BooleanField(default=False)
        escalation_level = SmallIntegerField(default=0)
        accept_deadline = DateTimeField()
        resolve_deadline = DateTimeField(null=True)
        paused_at = DateTimeField(null=True)
        extension_days_pending = SmallIntegerField(null=True)
        next_due_at = DateTimeField(null=True)
        merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL")
        rating = CharField(max_length=12, null=True)
        rating_comment = CharField(max_length=500, default="")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        accepted_at = DateTimeField(null=True)
        dispatched_at = DateTimeField(null=True)
        resolved_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            table_name = "request"
            indexes = (
                (("next_due_at",), False),
                (("region_path", "status", "id"), False),
                (("submitter", "id"), False),
                (("lead_unit", "status"), False),
                (("village_id", "created_at"), False),
                # Open311 lists and statistics filter on a created_at window.
                (("created_at",), False),
            )


    class RequestTask(Base):
        request = ForeignKeyField(Request, backref="tasks", on_delete="CASCADE")
        unit = ForeignKeyField(HandlingUnit, on_delete="RESTRICT")
        role = CharField(max_length=8)  # lead | assist
        status = CharField(max_length=12, default="open")  # open | done | returned
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        done_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("unit", "status"), False),)


    class TimelineEntry(Base):
        request = ForeignKeyField(Request, backref="timeline", on_delete="CASCADE")
        at = DateTimeField(default=datetime.datetime.utcnow)
        actor_id = IntegerField(null=True)
        actor_role = CharField(max_length=32)
        action = CharField(max_length=32)
        from_status = CharField(max_length=24, null=True)
        to_status = CharField(max_length=24, null=True)
        label = CharField(max_length=100)
        note = TextField(default="")
        public = BooleanField(default=True)
        details = TextField(default="{}")

        class Meta:
            indexes = ((("request", "id"), False),)


    class RequestFollower(Base):
        request = ForeignKeyField(Request, backref="followers", on_delete="CASCADE")
        user = ForeignKeyField(User, on_delete="CASCADE")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("request", "user"), True),)


    class TrackingCounter(Base):
        day = CharField(max_length=8, primary_key=True)
        seq = IntegerField(default=0)

    db.create_tables([HandlingUnit, UnitMember, RequestCategory, RoutingRule, Request,
                      RequestTask, TimelineEntry, RequestFollower, TrackingCounter])
    if isinstance(db, PostgresqlDatabase):
        for table in ("routing_rule", "request"):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "region_path" '
                           'TYPE varchar(255) COLLATE "C"')
