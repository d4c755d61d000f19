"""Points (微星光): accounts, versioned rules, the append-only transfer ledger, the event inbox,
ranking tallies, star schemes, the village store and its redemptions.

Frozen table definitions: do not import app models here.
"""

import datetime

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    CompositeKey,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
)

from migrations import _frozen as frozen

# Rankings read one index range per (scope, kind, period): top-N in order, "my rank" by COUNT.
_TALLY_INDEXES = (
    ("points_tally_grid_rank", "grid_id"),
    ("points_tally_village_rank", "village_id"),
    ("points_tally_town_rank", "town_id"),
)
_APPEND_ONLY = ("points_transfer",)


def up(migrator, db):
    Base = frozen.base_model(db)

    class PointsAccount(Base):
        kind = CharField(max_length=12)
        owner_id = IntegerField()
        region_path = CharField(max_length=255)
        grid_id = IntegerField(null=True)
        village_id = IntegerField(null=True)
        town_id = IntegerField(null=True)
        balance = BigIntegerField(default=0)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("kind", "owner_id"), True), (("region_path", "kind", "id"), False))
            constraints = [Check("balance >= 0 OR kind = 'pool'")]

    class PointsRule(Base):
        scope_path = CharField(max_length=255)
        scope_region_id = IntegerField(null=True)
        event_type = CharField(max_length=48)
        name = CharField(max_length=50)
        version = IntegerField()
        points = IntegerField()
        unit = CharField(max_length=8, default="event")
        effective_from = DateTimeField()
        effective_to = DateTimeField(null=True)
        reason = CharField(max_length=200, default="")
        created_by = IntegerField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("scope_path", "event_type", "version"), True),
                       (("event_type", "scope_path", "effective_from"), False))
            constraints = [Check("points > 0")]

    class PointsTransfer(Base):
        from_account = ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
        to_account = ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
        amount = IntegerField()
        source_ref = CharField(max_length=191, unique=True)
        event_type = CharField(max_length=48)
        rule = ForeignKeyField(PointsRule, null=True, on_delete="RESTRICT", index=False)
        rule_version = IntegerField(null=True)
        quantity = IntegerField(null=True)
        reason = CharField(max_length=200, default="")
        created_by = IntegerField(null=True)
        reverses = ForeignKeyField("self", null=True, on_delete="RESTRICT", index=False)
        region_path = CharField(max_length=255)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("to_account", "id"), False), (("from_account", "id"), False),
                       (("reverses",), False), (("region_path", "id"), False))
            constraints = [Check("amount > 0"), Check("from_account_id <> to_account_id")]

    class PointsEvent(Base):
        event_type = CharField(max_length=48)
        source_ref = CharField(max_length=160, unique=True)
        beneficiary_user_id = IntegerField(null=True)
        beneficiary_household_id = IntegerField(null=True)
        region_id = IntegerField()
        region_path = CharField(max_length=255)
        quantity = IntegerField(default=1)
        amount = IntegerField(null=True)
        reason = CharField(max_length=200, default="")
        created_by = IntegerField(null=True)
        status = CharField(max_length=12, default="pending")
        waiting_for = CharField(max_length=24, null=True)
        transfer_id = IntegerField(null=True)
        attempts = IntegerField(default=0)
        occurred_at = DateTimeField(default=datetime.datetime.utcnow)
        credited_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("status", "id"), False), (("region_path", "status", "id"), False))

    class PointsTally(Base):
        account = ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
        period = CharField(max_length=8)
        account_kind = CharField(max_length=12)
        points = BigIntegerField(default=0)
        reached_at = DateTimeField()
        grid_id = IntegerField(null=True)
        village_id = IntegerField(null=True)
        town_id = IntegerField(null=True)

        class Meta:
            primary_key = CompositeKey("account", "period")

    class StarScheme(Base):
        scope_path = CharField(max_length=255)
        scope_region_id = IntegerField(null=True)
        account_kind = CharField(max_length=12)
        period_kind = CharField(max_length=8)
        thresholds = CharField(max_length=200)
        version = IntegerField()
        created_by = IntegerField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("scope_path", "account_kind", "version"), True),)

    class StoreItem(Base):
        village_id = IntegerField()
        region_path = CharField(max_length=255)
        name = CharField(max_length=50)
        description = CharField(max_length=500, default="")
        cost = IntegerField()
        stock = IntegerField(default=0)
        active = BooleanField(default=True)
        created_by = IntegerField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            indexes = ((("region_path", "active", "id"), False),)
            constraints = [Check("stock >= 0"), Check("cost > 0")]

    class Redemption(Base):
        item = ForeignKeyField(StoreItem, on_delete="RESTRICT", index=False)
        account = ForeignKeyField(PointsAccount, on_delete="RESTRICT", index=False)
        user_id = IntegerField()
        region_path = CharField(max_length=255)
        quantity = IntegerField()
        points = IntegerField()
        transfer = ForeignKeyField(PointsTransfer, unique=True, on_delete="RESTRICT")
        status = CharField(max_length=12, default="reserved")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        handed_over_at = DateTimeField(null=True)
        handed_over_by = IntegerField(null=True)
        cancelled_at = DateTimeField(null=True)
        cancelled_by = IntegerField(null=True)
        cancel_reason = CharField(max_length=200, default="")
        refund_transfer_id = IntegerField(null=True)

        class Meta:
            indexes = ((("region_path", "status", "id"), False), (("user_id", "id"), False))

    db.create_tables([PointsAccount, PointsRule, PointsTransfer, PointsEvent, PointsTally,
                      StarScheme, StoreItem, Redemption])
    for name, column in _TALLY_INDEXES:
        db.execute_sql(f"CREATE INDEX {name} ON points_tally ({column}, account_kind, period, "
                       "points DESC, reached_at, account_id)")

    if isinstance(db, PostgresqlDatabase):
        # Subtree queries compare paths as bytes (see app/regions/rules.py).
        for table, column in (("points_account", "region_path"), ("points_rule", "scope_path"),
                              ("points_transfer", "region_path"),
                              ("points_event", "region_path"), ("star_scheme", "scope_path"),
                              ("store_item", "region_path"), ("redemption", "region_path")):
            db.execute_sql(f'ALTER TABLE {table} ALTER COLUMN "{column}" '
                           'TYPE varchar(255) COLLATE "C"')
        for table in _APPEND_ONLY:
            db.execute_sql(
                f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$")
            db.execute_sql(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
    else:
        for table in _APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
