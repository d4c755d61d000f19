"""议事 consultations: topics, poll options, answers, comments and comment reports.

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

    class Consultation(Base):
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        title = CharField(max_length=100)
        background = TextField()
        status = CharField(max_length=12, default="draft")
        opens_at = DateTimeField(null=True)
        closes_at = DateTimeField()
        opened_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        poll_mode = CharField(max_length=12, default="")
        poll_max_choices = SmallIntegerField(default=0)
        poll_results = CharField(max_length=12, default="after_close")
        notice_id = IntegerField(null=True)
        project_id = IntegerField(null=True)
        outcome = TextField(default="")
        outcome_reason = TextField(default="")
        decided_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        decided_at = DateTimeField(null=True)
        withdraw_reason = CharField(max_length=500, default="")
        withdrawn_at = DateTimeField(null=True)
        author = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("region", "status", "id"), False),
                (("region_path", "status", "id"), False),
                (("status", "opens_at"), False),
                (("status", "closes_at"), False),
            )

    class ConsultationOption(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        position = SmallIntegerField()
        label = CharField(max_length=100)

        class Meta:
            indexes = ((("consultation", "position"), True),)

    class ConsultationAnswer(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        voter = ForeignKeyField(User, on_delete="RESTRICT")
        choices = CharField(max_length=255)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("consultation", "voter"), True),)

    class ConsultationComment(Base):
        consultation = ForeignKeyField(Consultation, on_delete="CASCADE")
        region_path = CharField(max_length=255)
        author = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
        author_name = CharField(max_length=20)
        content = TextField()
        status = CharField(max_length=16, default="visible")
        report_count = IntegerField(default=0)
        reviewed = BooleanField(default=False)
        hidden_reason = CharField(max_length=500, default="")
        moderated_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        moderated_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = (
                (("consultation", "status", "id"), False),
                (("consultation", "author", "id"), False),
                (("region_path", "status", "id"), False),
            )

    class ConsultationReport(Base):
        comment = ForeignKeyField(ConsultationComment, on_delete="CASCADE")
        reporter = ForeignKeyField(User, on_delete="RESTRICT")
        reason = CharField(max_length=200, default="")
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("comment", "reporter"), True),)

    db.create_tables([Consultation, ConsultationOption, ConsultationAnswer, ConsultationComment,
                      ConsultationReport])
    if isinstance(db, PostgresqlDatabase):
        for table in ("consultation", "consultation_comment"):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "region_path" '
                           'TYPE varchar(255) COLLATE "C"')
