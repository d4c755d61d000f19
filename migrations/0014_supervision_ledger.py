"""Supervision II: the 三资 ledger (fund periods and entries, assets, resources, published
snapshots), the power list (items and procedure steps), seals and the seal-use log, and
livestreams.

Frozen table definitions: do not import app models here. Seal-use entries are append-only:
triggers refuse UPDATE and DELETE on both engines (each entry is on the transparency log).
"""

import datetime

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SmallIntegerField,
    TextField,
)

from migrations import _frozen as frozen

C_COLLATED = (("fund_period", "village_path"), ("fund_entry", "village_path"),
              ("asset", "village_path"), ("resource", "village_path"),
              ("power_item", "region_path"), ("seal", "village_path"),
              ("seal_use", "village_path"), ("livestream", "village_path"))


def up(migrator, db):
    Base = frozen.base_model(db)

    Region = frozen.table_stub(Base, "Region", "region")

    User = frozen.table_stub(Base, "User", "user")

    class FundPeriod(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        period = CharField(max_length=7)
        opening_fen = BigIntegerField()
        closing_fen = BigIntegerField()
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "period"), True),)

    class FundEntry(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        period = CharField(max_length=7)
        voucher_no = CharField(max_length=32)
        entry_date = DateField()
        direction = CharField(max_length=8)
        category = CharField(max_length=32)
        summary = CharField(max_length=200)
        amount_fen = BigIntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "period", "voucher_no"), True),
                       (("village_path", "id"), False))

    class Asset(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        code = CharField(max_length=32)
        name = CharField(max_length=100)
        category = CharField(max_length=16)
        value_fen = BigIntegerField()
        acquired_on = DateField(null=True)
        location = CharField(max_length=200, default="")
        status = CharField(max_length=12)
        lease_holder = CharField(max_length=100, default="")
        lease_start = DateField(null=True)
        lease_end = DateField(null=True)
        lease_rent_fen = BigIntegerField(null=True)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "code"), True), (("village_path", "id"), False))

    class Resource(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        code = CharField(max_length=32)
        name = CharField(max_length=100)
        kind = CharField(max_length=24)
        area_mu = DecimalField(max_digits=12, decimal_places=2, auto_round=False)
        location = CharField(max_length=200, default="")
        holder = CharField(max_length=100, default="")
        term_start = DateField(null=True)
        term_end = DateField(null=True)
        rent_fen = BigIntegerField(null=True)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "code"), True), (("village_path", "id"), False))

    class LedgerSnapshot(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        section = CharField(max_length=12)
        period = CharField(max_length=16)
        disclosure_id = IntegerField(unique=True)
        content = TextField()
        sha256 = CharField(max_length=64)
        totals = TextField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "section", "id"), False),)

    class PowerItem(Base):
        region = ForeignKeyField(Region, on_delete="RESTRICT")
        region_path = CharField(max_length=255)
        is_template = BooleanField(default=False)
        code = CharField(max_length=32)
        name = CharField(max_length=100)
        category = CharField(max_length=24)
        legal_basis = TextField()
        requires_notice = BooleanField(default=False)
        active = BooleanField(default=True)
        source_template_id = IntegerField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("region", "code"), True), (("region_path", "id"), False))

    class PowerStep(Base):
        item = ForeignKeyField(PowerItem, on_delete="CASCADE")
        seq = SmallIntegerField()
        name = CharField(max_length=100)
        description = TextField(default="")
        requires_evidence = BooleanField(default=False)
        evidence_hint = CharField(max_length=200, default="")

        class Meta:
            indexes = ((("item", "seq"), True),)

    class Notice(Base):
        class Meta:
            table_name = "notice"

    class Seal(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        name = CharField(max_length=50)
        kind = CharField(max_length=16)
        keeper = ForeignKeyField(User, null=True, on_delete="SET NULL")
        active = BooleanField(default=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("village", "name"), True),)

    class SealUse(Base):
        seal = ForeignKeyField(Seal, on_delete="RESTRICT")
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        town_id = IntegerField()
        document = CharField(max_length=100)
        copies = SmallIntegerField(default=1)
        purpose = CharField(max_length=200)
        applicant_name = CharField(max_length=50)
        applicant_user = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        approver_user = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
        power_item = ForeignKeyField(PowerItem, null=True, on_delete="RESTRICT")
        notice = ForeignKeyField(Notice, null=True, on_delete="RESTRICT")
        decision_ref = CharField(max_length=100, default="")
        used_at = DateTimeField()
        recorded_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
        recorded_at = DateTimeField(default=datetime.datetime.utcnow)
        anomalies = TextField(default="[]")
        flagged = BooleanField(default=False)

        class Meta:
            indexes = ((("village_path", "id"), False),
                       (("village_path", "flagged", "id"), False), (("seal", "id"), False))

    class Livestream(Base):
        village = ForeignKeyField(Region, on_delete="RESTRICT")
        village_path = CharField(max_length=255)
        matter_type = CharField(max_length=16)
        title = CharField(max_length=100)
        link = CharField(max_length=500)
        starts_at = DateTimeField()
        status = CharField(max_length=12, default="scheduled")
        notice = ForeignKeyField(Notice, null=True, on_delete="RESTRICT")
        announced_at = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)
        cancel_reason = CharField(max_length=200, default="")
        disclosure_id = IntegerField(null=True)
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("status", "starts_at"), False), (("village_path", "id"), False),
                       (("village", "starts_at"), False))

    db.create_tables([FundPeriod, FundEntry, Asset, Resource, LedgerSnapshot, PowerItem,
                      PowerStep, Seal, SealUse, Livestream])
    _append_only(db, "seal_use")
    if isinstance(db, PostgresqlDatabase):
        for table, column in C_COLLATED:
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')


def _append_only(db, table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` (both engines), like audit_entry in 0001."""
    message = f"{table} is append-only"
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END $$")
        db.execute_sql(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
