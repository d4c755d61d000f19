"""The bot: endpoints, robots, group bindings and codes, identities, the message ledger, recent
messages, pending confirmations, the classifier dictionary, request links, the outbound queue
and job cursors.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    TextField,
)

from migrations import _frozen as frozen


def up(migrator, db):
    now = datetime.datetime.utcnow

    Base = frozen.base_model(db)

    Region = frozen.table_stub(Base, "Region", "region")

    User = frozen.table_stub(Base, "User", "user")

    class BotEndpoint(Base):
        kind = CharField(max_length=16)
        name = CharField(max_length=50)
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        receive_id = CharField(max_length=64, default="")
        token_cipher = TextField(null=True)
        aes_key_cipher = TextField(null=True)
        secret_cipher = TextField(null=True)
        private_key_cipher = TextField(null=True)
        agent_id = CharField(max_length=32, default="")
        active = BooleanField(default=True)
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("region_path", "id"), False),)

    class BotRobot(Base):
        name = CharField(max_length=50)
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        webhook_key_cipher = TextField()
        active = BooleanField(default=True)
        window = TextField(default="[]")
        blocked_until = DateTimeField(null=True)
        last_error = CharField(max_length=64, null=True)
        version = IntegerField(default=0)
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("region_path", "id"), False),)

    class BotGroup(Base):
        channel = CharField(max_length=16)
        chat_id = CharField(max_length=160)
        endpoint = ForeignKeyField(BotEndpoint, null=True, on_delete="SET NULL")
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        robot = ForeignKeyField(BotRobot, null=True, on_delete="SET NULL")
        response_url_cipher = TextField(null=True)
        response_url_expires_at = DateTimeField(null=True)
        bound_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        status = CharField(max_length=12, default="active")
        bound_at = DateTimeField(default=now)
        unbound_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("channel", "chat_id"), True), (("region_path", "status", "id"), False))

    class BindingCode(Base):
        code_hash = CharField(max_length=64, unique=True)
        region = ForeignKeyField(Region, on_delete="CASCADE")
        region_path = CharField(max_length=255)
        issued_by = ForeignKeyField(User, on_delete="CASCADE")
        created_at = DateTimeField(default=now)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        group = ForeignKeyField(BotGroup, null=True, on_delete="SET NULL")

    class BotIdentity(Base):
        key_hash = CharField(max_length=64, unique=True)
        kind = CharField(max_length=24)
        user = ForeignKeyField(User, on_delete="CASCADE")
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("user",), False),)

    class BotLedger(Base):
        channel = CharField(max_length=16)
        msg_id = CharField(max_length=160)
        answer = TextField(null=True)
        outcome = CharField(max_length=24, default="")
        request_id = IntegerField(null=True)
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("channel", "msg_id"), True), (("created_at",), False))

    class BotMessage(Base):
        group = ForeignKeyField(BotGroup, on_delete="CASCADE")
        sender = ForeignKeyField(User, on_delete="CASCADE")
        text = TextField()
        created_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("group", "id"), False), (("created_at",), False))

    class PendingConfirmation(Base):
        group = ForeignKeyField(BotGroup, on_delete="CASCADE")
        sender = ForeignKeyField(User, on_delete="CASCADE")
        text = TextField()
        category_code = CharField(max_length=32)
        request_type = CharField(max_length=16)
        created_at = DateTimeField(default=now)
        expires_at = DateTimeField()

        class Meta:
            indexes = ((("group", "sender"), True), (("expires_at",), False))

    class BotKeyword(Base):
        town = IntegerField(default=0)
        category_code = CharField(max_length=32)
        word = CharField(max_length=20)
        weight = FloatField(default=1.0)
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        updated_at = DateTimeField(default=now)

        class Meta:
            indexes = ((("town", "category_code", "word"), True),)

    class BotRequestLink(Base):
        request_id = IntegerField(unique=True)
        group = ForeignKeyField(BotGroup, on_delete="CASCADE")
        sender = ForeignKeyField(User, on_delete="CASCADE")
        created_at = DateTimeField(default=now)

    class BotOutbound(Base):
        lane = CharField(max_length=32)
        kind = CharField(max_length=16)
        robot = ForeignKeyField(BotRobot, null=True, on_delete="CASCADE")
        group = ForeignKeyField(BotGroup, null=True, on_delete="SET NULL")
        endpoint = ForeignKeyField(BotEndpoint, null=True, on_delete="SET NULL")
        target_cipher = TextField(null=True)
        text = TextField()
        dedupe_key = CharField(max_length=191, unique=True)
        status = CharField(max_length=12, default="pending")
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(null=True)
        lease_until = DateTimeField(null=True)
        expires_at = DateTimeField(null=True)
        last_error = CharField(max_length=64, null=True)
        created_at = DateTimeField(default=now)
        sent_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("status", "next_attempt_at"), False), (("lane", "status", "id"), False))

    class BotCursor(Base):
        name = CharField(max_length=64, primary_key=True)
        value = BigIntegerField(default=0)
        updated_at = DateTimeField(default=now)

    db.create_tables([BotEndpoint, BotRobot, BotGroup, BindingCode, BotIdentity, BotLedger,
                      BotMessage, PendingConfirmation, BotKeyword, BotRequestLink, BotOutbound,
                      BotCursor])
    if isinstance(db, PostgresqlDatabase):
        for table in ("bot_endpoint", "bot_robot", "bot_group", "binding_code"):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "region_path" '
                           'TYPE varchar(255) COLLATE "C"')
