"""Reports (我要举报): officers' key pairs, encrypted reports, recipients, exclusions, messages,
attachments, reveal requests, retention settings, village heads.

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

    class OfficerKey(Base):
        user = ForeignKeyField(User, unique=True, on_delete="CASCADE")
        public_key = CharField(max_length=64)
        private_key_cipher = TextField()
        kdf_salt = CharField(max_length=32)
        kdf_time = SmallIntegerField()
        kdf_memory = IntegerField()
        kdf_lanes = SmallIntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

    class Report(Base):
        mode = CharField(max_length=16)
        village = ForeignKeyField(Region, on_delete="RESTRICT", backref="+")
        village_path = CharField(max_length=255)
        handling_region = ForeignKeyField(Region, on_delete="RESTRICT", backref="+")
        handling_path = CharField(max_length=255)
        supervising_region = ForeignKeyField(Region, null=True, on_delete="RESTRICT",
                                             backref="+")
        elevated = BooleanField(default=False)
        status = CharField(max_length=24, default="received")
        body_cipher = TextField(null=True)
        identity_cipher = TextField(null=True)
        receipt_tag = CharField(max_length=16)
        receipt_verifier = CharField(max_length=64)
        receipt_salt = CharField(max_length=32)
        kdf_time = SmallIntegerField()
        kdf_memory = IntegerField()
        kdf_lanes = SmallIntegerField()
        receipt_sealed_key = TextField(null=True)
        retention_days = IntegerField()
        stage_deadline = DateTimeField(null=True)
        next_due_at = DateTimeField(null=True)
        escalation_level = SmallIntegerField(default=0)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        decided_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        purge_after = DateTimeField(null=True)
        destroyed_at = DateTimeField(null=True)
        version = IntegerField(default=1)

        class Meta:
            table_name = "report"
            indexes = (
                (("receipt_tag",), False),
                (("next_due_at",), False),
                (("purge_after",), False),
                (("handling_path", "status", "id"), False),
            )

    class ReportRecipient(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE", backref="+")
        user = ForeignKeyField(User, on_delete="CASCADE", backref="+")
        level = CharField(max_length=16)
        sealed_key = TextField(null=True)
        added_at = DateTimeField(default=datetime.datetime.utcnow)
        recused_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("report", "user"), True), (("user", "report"), False))

    class ReportExclusion(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE", backref="+")
        user_tag = CharField(max_length=64)

        class Meta:
            indexes = ((("report", "user_tag"), True), (("user_tag",), False))

    class ReportMessage(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE", backref="+")
        kind = CharField(max_length=16)
        side = CharField(max_length=12)
        author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        body_cipher = TextField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("report", "id"), False),)

    class ReportAttachment(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE", backref="+")
        mime = CharField(max_length=32)
        data_cipher = TextField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("report", "id"), False),)

    class RevealRequest(Base):
        report = ForeignKeyField(Report, on_delete="CASCADE", backref="+")
        requested_by = ForeignKeyField(User, on_delete="CASCADE", backref="+")
        reason_cipher = TextField(null=True)
        status = CharField(max_length=12, default="pending")
        decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        decided_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("report", "status"), False),)

    class ReportSetting(Base):
        region = ForeignKeyField(Region, unique=True, on_delete="CASCADE", backref="+")
        retention_days = IntegerField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

    class VillageHead(Base):
        village = ForeignKeyField(Region, on_delete="CASCADE", backref="+")
        user = ForeignKeyField(User, on_delete="CASCADE", backref="+")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "user"), True), (("user",), False))

    db.create_tables([OfficerKey, Report, ReportRecipient, ReportExclusion, ReportMessage,
                      ReportAttachment, RevealRequest, ReportSetting, VillageHead])
    if isinstance(db, PostgresqlDatabase):
        for column in ("village_path", "handling_path"):
            db.execute_sql(f'ALTER TABLE report ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')
