"""Transparency log: per-town Merkle logs (head, leaves, perfect nodes), checkpoints, keys.

Frozen table definitions: do not import app models here. Leaves, nodes and checkpoints are
append-only: triggers refuse UPDATE and DELETE on both engines.
"""

import datetime

from peewee import (
    BigIntegerField,
    CharField,
    DateTimeField,
    IntegerField,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)

from migrations import _frozen as frozen

APPEND_ONLY = ("log_leaf", "log_node", "log_checkpoint")


def up(migrator, db):
    Base = frozen.base_model(db)

    class LogHead(Base):
        log_id = IntegerField(primary_key=True)
        tree_size = BigIntegerField(default=0)
        frontier = TextField(default="")
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

    class LogLeaf(Base):
        log_id = IntegerField()
        leaf_index = BigIntegerField()
        leaf_hash = CharField(max_length=64)
        record_type = CharField(max_length=32)
        record_id = CharField(max_length=64)
        body = TextField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("log_id", "leaf_index"), True),
                       (("log_id", "record_type", "record_id"), True))

    class LogNode(Base):
        log_id = IntegerField()
        level = SmallIntegerField()
        node_index = BigIntegerField()
        hash = CharField(max_length=64)

        class Meta:
            indexes = ((("log_id", "level", "node_index"), True),)

    class LogCheckpoint(Base):
        log_id = IntegerField()
        tree_size = BigIntegerField()
        root_hash = CharField(max_length=64)
        signed_at = DateTimeField(default=datetime.datetime.utcnow)
        signature = CharField(max_length=128)
        key_id = CharField(max_length=64)
        note = TextField()

        class Meta:
            indexes = ((("log_id", "tree_size"), True),)

    class LogKey(Base):
        key_id = CharField(max_length=64, unique=True)
        name = CharField(max_length=32)
        public_key = CharField(max_length=64)
        first_used_at = DateTimeField(default=datetime.datetime.utcnow)
        last_used_at = DateTimeField(default=datetime.datetime.utcnow)

    db.create_tables([LogHead, LogLeaf, LogNode, LogCheckpoint, LogKey])

    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE FUNCTION transparency_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$")
        for table in APPEND_ONLY:
            db.execute_sql(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION transparency_append_only()")
    else:
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
