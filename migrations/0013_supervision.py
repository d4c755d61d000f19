"""Supervision I: disclosures (with questions, cadence rules and obligations) and 事前公示
notices (with objections).

Frozen table definitions: do not import app models here. A published disclosure is immutable:
a trigger on both engines refuses UPDATE of its content columns and DELETE of the row.
"""

import datetime

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)

from migrations import _frozen as frozen

# Kept in step with app.disclosures.models.CONTENT_COLUMNS at the time of writing.
CONTENT_COLUMNS = ("kind", "category", "title", "body", "period", "matter_key", "extra",
                   "region_id", "region_path", "village_id", "town_id", "author_id",
                   "corrects_id", "correction_reason", "status", "reviewed_by_id",
                   "reviewed_at", "published_by_id", "published_at")
C_COLLATED = (("disclosure", "region_path"), ("disclosure_question", "region_path"),
              ("disclosure_due", "village_path"), ("notice", "village_path"),
              ("notice_objection", "village_path"))


def up(migrator, db):
    Base = frozen.base_model(db)

    Region = frozen.table_stub(Base, "Region", "region")

    User = frozen.table_stub(Base, "User", "user")

    class Disclosure(Base):
        kind = CharField(max_length=16)
        category = CharField(max_length=32)
        title = CharField(max_length=100)
        body = TextField()
        period = CharField(max_length=16)
        matter_key = CharField(max_length=48, null=True)
        extra = TextField(default="{}")
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        village_id = IntegerField(null=True)
        town_id = IntegerField()
        author = ForeignKeyField(User, on_delete="RESTRICT")
        corrects = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        correction_reason = CharField(max_length=500, default="")
        status = CharField(max_length=12, default="draft")
        review_note = CharField(max_length=500, default="")
        submitted_at = DateTimeField(null=True)
        reviewed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        reviewed_at = DateTimeField(null=True)
        published_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        published_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("region", "status", "published_at", "id"), False),
                (("region", "kind", "status", "published_at", "id"), False),
                (("region_path", "status", "id"), False),
                (("region", "kind", "period", "status"), False),
                (("matter_key",), False),
                (("corrects",), False),
            )

    class DisclosureQuestion(Base):
        disclosure = ForeignKeyField(Disclosure, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        asker = ForeignKeyField(User, on_delete="RESTRICT")
        kind = CharField(max_length=12)
        text = TextField()
        status = CharField(max_length=12, default="open")
        public_question = TextField(default="")
        answer = TextField(default="")
        answered_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        answered_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("disclosure", "status", "id"), False), (("asker", "id"), False),
                       (("region_path", "status", "id"), False))

    class CadenceRule(Base):
        village = ForeignKeyField(Region, on_delete="CASCADE")
        kind = CharField(max_length=16)
        rhythm = CharField(max_length=12)
        grace_days = SmallIntegerField()
        major_days = SmallIntegerField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "kind"), True),)

    class DisclosureDue(Base):
        village = ForeignKeyField(Region, on_delete="CASCADE")
        village_path = CharField(max_length=255)
        kind = CharField(max_length=16)
        period = CharField(max_length=48)
        due_at = DateTimeField()
        status = CharField(max_length=12, default="open")
        disclosure_id = IntegerField(null=True)
        overdue_at = DateTimeField(null=True)
        met_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "kind", "period"), True), (("status", "due_at"), False),
                       (("village_path", "status", "id"), False))

    class Notice(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        town_id = IntegerField()
        matter_type = CharField(max_length=16)
        matter = CharField(max_length=100)
        proposal = TextField()
        objection_days = SmallIntegerField()
        status = CharField(max_length=12, default="draft")
        author = ForeignKeyField(User, on_delete="RESTRICT")
        published_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        published_at = DateTimeField(null=True)
        period_ends_at = DateTimeField(null=True)
        result = CharField(max_length=12, null=True)
        result_text = TextField(default="")
        decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        decided_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("village", "status", "published_at", "id"), False),
                       (("village_path", "status", "id"), False))

    class NoticeObjection(Base):
        notice = ForeignKeyField(Notice, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        objector = ForeignKeyField(User, on_delete="RESTRICT")
        text = TextField()
        status = CharField(max_length=12, default="open")
        public_text = TextField(default="")
        answer = TextField(default="")
        answered_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        answered_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("notice", "status", "id"), False), (("objector", "id"), False),
                       (("village_path", "status", "id"), False))

    db.create_tables([Disclosure, DisclosureQuestion, CadenceRule, DisclosureDue, Notice,
                      NoticeObjection])
    _immutable_published(db)
    if isinstance(db, PostgresqlDatabase):
        for table, column in C_COLLATED:
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')


def _immutable_published(db) -> None:
    """Refuse changing a published disclosure's content, or deleting it, on both engines."""
    message = "a published disclosure is immutable: publish a correction"
    if isinstance(db, PostgresqlDatabase):
        new = ", ".join(f'NEW."{c}"' for c in CONTENT_COLUMNS)
        old = ", ".join(f'OLD."{c}"' for c in CONTENT_COLUMNS)
        db.execute_sql(
            "CREATE FUNCTION disclosure_published_immutable() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF OLD.status = 'published' THEN "
            f"IF TG_OP = 'DELETE' OR ROW({new}) IS DISTINCT FROM ROW({old}) THEN "
            f"RAISE EXCEPTION '{message}'; END IF; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$")
        db.execute_sql(
            "CREATE TRIGGER disclosure_published_no_change BEFORE UPDATE OR DELETE ON disclosure "
            "FOR EACH ROW EXECUTE FUNCTION disclosure_published_immutable()")
    else:
        columns = ", ".join(CONTENT_COLUMNS)
        db.execute_sql(
            f"CREATE TRIGGER disclosure_published_no_update BEFORE UPDATE OF {columns} "
            f"ON disclosure WHEN OLD.status = 'published' "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
        db.execute_sql(
            "CREATE TRIGGER disclosure_published_no_delete BEFORE DELETE ON disclosure "
            f"WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, '{message}'); END")
