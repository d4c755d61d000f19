"""Foundation: region tree, users, bindings, role grants, tokens, staff credentials, audit, kv.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BigIntegerField,
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

    class Region(Base):
        code = CharField(max_length=32, unique=True)
        name = CharField(max_length=100)
        level = CharField(max_length=16)
        parent = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        path = CharField(max_length=255, index=True)
        depth = SmallIntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

    class User(Base):
        openid = CharField(max_length=64, unique=True, null=True)
        unionid = CharField(max_length=64, unique=True, null=True)
        display_name = CharField(max_length=50, default="")
        phone_hash = CharField(max_length=64, unique=True, null=True)
        phone_cipher = TextField(null=True)
        phone_masked = CharField(max_length=16, null=True)
        household = ForeignKeyField(Region, null=True, on_delete="SET NULL")
        is_volunteer = BooleanField(default=False)
        is_party_member = BooleanField(default=False)
        status = CharField(max_length=16, default="active")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

    class HouseholdBinding(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        household = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        real_name = CharField(max_length=50)
        relation = CharField(max_length=20)
        status = CharField(max_length=16, default="pending")
        reason = CharField(max_length=200, default="")
        decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        decided_at = DateTimeField(null=True)
        ended_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("region_path", "status", "id"), False),)

    class RoleGrant(Base):
        user = ForeignKeyField(User, on_delete="CASCADE")
        role = CharField(max_length=32)
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        granted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        revoked_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("user", "revoked_at"), False),)

    class AuthToken(Base):
        token_hash = CharField(max_length=64, unique=True)
        user = ForeignKeyField(User, on_delete="CASCADE")
        kind = CharField(max_length=16)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        expires_at = DateTimeField()
        last_used_at = DateTimeField(default=datetime.datetime.utcnow)
        revoked_at = DateTimeField(null=True)

    class StaffCredential(Base):
        user = ForeignKeyField(User, unique=True, on_delete="CASCADE")
        username = CharField(max_length=64, unique=True)
        password_hash = CharField(max_length=255)
        totp_secret_cipher = TextField(null=True)
        totp_pending_cipher = TextField(null=True)
        totp_last_step = BigIntegerField(default=0)
        failed_count = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        password_changed_at = DateTimeField(default=datetime.datetime.utcnow)

    class AuditEntry(Base):
        at = DateTimeField(default=datetime.datetime.utcnow)
        actor_id = IntegerField(null=True)
        actor_role = CharField(max_length=32)
        action = CharField(max_length=64)
        object_type = CharField(max_length=32)
        object_id = CharField(max_length=64)
        region_id = IntegerField(null=True)
        region_path = CharField(max_length=255, default="/")
        summary = TextField(default="")

        class Meta:
            indexes = ((("region_path", "id"), False), (("object_type", "object_id"), False))

    class KeyValue(Base):
        key = CharField(max_length=191, primary_key=True)
        value = TextField()
        expires_at = DateTimeField(null=True)

    db.create_tables([Region, User, HouseholdBinding, RoleGrant, AuthToken, StaffCredential,
                      AuditEntry, KeyValue])

    if isinstance(db, PostgresqlDatabase):
        # Subtree queries compare paths as bytes (see app/regions/rules.py).
        for table, column in (("region", "path"), ("household_binding", "region_path"),
                              ("audit_entry", "region_path")):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')
        db.execute_sql(
            "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$")
        db.execute_sql(
            "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER audit_entry_no_{event.lower()} BEFORE {event} ON audit_entry "
                "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END")
