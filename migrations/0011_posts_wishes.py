"""微平台 posts and 微心愿 wishes: posts, post reads, wishes, their history, town settings and
the points outbox.

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

    class Post(Base):
        kind = CharField(max_length=16)
        title = CharField(max_length=100)
        body = TextField()
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        author = ForeignKeyField(User, on_delete="RESTRICT")
        status = CharField(max_length=12, default="draft")
        pinned = BooleanField(default=False)
        cover_media_id = IntegerField(null=True)
        publish_at = DateTimeField(null=True)
        published_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)
        withdraw_reason = CharField(max_length=500, default="")
        read_count = IntegerField(default=0)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("region", "status", "pinned", "published_at", "id"), False),
                (("region_path", "status", "id"), False),
                (("status", "publish_at"), False),
            )

    class PostRead(Base):
        post = ForeignKeyField(Post, on_delete="CASCADE")
        user = ForeignKeyField(User, on_delete="CASCADE")
        read_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("post", "user"), True),)

    class Wish(Base):
        wisher = ForeignKeyField(User, on_delete="RESTRICT")
        wisher_name = CharField(max_length=20)
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        category = CharField(max_length=16)
        text = TextField()
        deadline = DateTimeField(null=True)
        status = CharField(max_length=16, default="submitted")
        held_for_review = BooleanField(default=False)
        review_reason = CharField(max_length=500, default="")
        reviewed_at = DateTimeField(null=True)
        claimant = ForeignKeyField(User, null=True, on_delete="SET NULL")
        claimant_name = CharField(max_length=20, default="")
        claimed_at = DateTimeField(null=True)
        claim_due_at = DateTimeField(null=True)
        fulfil_note = TextField(default="")
        fulfil_note_held = BooleanField(default=False)
        fulfilled_at = DateTimeField(null=True)
        confirm_due_at = DateTimeField(null=True)
        confirmed_at = DateTimeField(null=True)
        auto_confirmed = BooleanField(default=False)
        thanks = TextField(default="")
        thanks_held = BooleanField(default=False)
        thanked_at = DateTimeField(null=True)
        closed_reason = CharField(max_length=500, default="")
        closed_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("village", "status", "id"), False),
                (("wisher", "id"), False),
                (("claimant", "id"), False),
                (("status", "region_path", "id"), False),
                (("status", "claim_due_at"), False),
                (("status", "confirm_due_at"), False),
            )

    class WishEvent(Base):
        wish = ForeignKeyField(Wish, on_delete="CASCADE")
        at = DateTimeField(default=datetime.datetime.utcnow)
        actor_id = IntegerField(null=True)
        actor_role = CharField(max_length=32)
        action = CharField(max_length=24)
        from_status = CharField(max_length=16, null=True)
        to_status = CharField(max_length=16, null=True)
        note = TextField(default="")
        public = BooleanField(default=True)

        class Meta:
            indexes = ((("wish", "id"), False),)

    class WishSettings(Base):
        town = ForeignKeyField(Region, unique=True, on_delete="CASCADE")
        claim_days = SmallIntegerField()
        auto_confirm_days = SmallIntegerField()
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

    class WishPointsEvent(Base):
        event_type = CharField(max_length=32)
        source_ref = CharField(max_length=64, unique=True)
        beneficiary_user_id = IntegerField()
        region_id = IntegerField()
        quantity = IntegerField(default=1)
        status = CharField(max_length=12, default="pending")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        delivered_at = DateTimeField(null=True)

        class Meta:
            table_name = "wish_points_event"
            indexes = ((("status", "id"), False),)

    db.create_tables([Post, PostRead, Wish, WishEvent, WishSettings, WishPointsEvent])
    if isinstance(db, PostgresqlDatabase):
        for table in ("post", "wish"):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "region_path" '
                           'TYPE varchar(255) COLLATE "C"')
