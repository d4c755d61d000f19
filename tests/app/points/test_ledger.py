"""The ledger: credits from the village pool, idempotency on the source reference, balances
that equal the transfers, append-only transfers and line-by-line explanations."""

from __future__ import annotations

import peewee
import pytest

from app.db import database
from app.points import ledger, rules
from app.points.models import PointsAccount, PointsEvent, PointsTally, PointsTransfer
from app.points.services import record_points_event


def balance(kind, owner):
    account = ledger.find_account(kind, owner)
    return account.balance if account else 0


def test_a_wish_fulfilled_credits_the_resident_and_their_household_from_the_pool(village):
    event = record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                                village.tree.village_a1.id)
    assert event.status == "credited"
    assert balance("person", village.resident.id) == 5
    assert balance("household", village.tree.household_a1.id) == 5
    assert balance("pool", village.tree.village_a1.id) == -10
    transfer = PointsTransfer.get_by_id(event.transfer_id)
    assert transfer.source_ref == "wish:1" and transfer.rule_version == 1


def test_the_same_source_reference_is_credited_once_however_often_it_is_reported(village):
    for _ in range(3):
        record_points_event("wish.fulfilled", "wish:7", village.resident.id,
                            village.tree.village_a1.id)
    assert PointsTransfer.select().where(PointsTransfer.source_ref == "wish:7").count() == 1
    assert balance("person", village.resident.id) == 5


def test_per_hour_rules_pay_for_the_minutes_served_rounded_down(village):
    record_points_event("action.attended", "action:1:checkout:user:1", village.resident.id,
                        village.tree.village_a1.id, quantity=95)
    assert balance("person", village.resident.id) == 15  # 10 per hour × 95 min = 15.8


def test_an_event_without_a_pool_waits_and_is_credited_by_the_job_later(village):
    from app.points import setup
    from app.points.jobs import credit_pending

    event = record_points_event("wish.fulfilled", "wish:9", village.resident.id,  # no pool
                                village.tree.village_a2.id)
    assert event.status == "pending" and event.waiting_for == "pool"
    assert credit_pending()["waiting"] == 1
    setup.open_pool(village.actor(village.town_admin), village.tree.village_a2.id)
    assert credit_pending()["credited"] == 1
    assert PointsEvent.get_by_id(event.id).status == "credited"
    assert balance("pool", village.tree.village_a2.id) == -10


def test_an_unbound_beneficiary_waits_until_bound(village):
    event = record_points_event("wish.fulfilled", "wish:10", village.visitor.id,
                                village.tree.village_a1.id)
    assert event.status == "pending" and event.waiting_for == "beneficiary_unbound"


def test_a_region_above_village_level_is_refused(village):
    from app.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        record_points_event("wish.fulfilled", "wish:11", village.resident.id,
                            village.tree.town_a.id)
    assert err.value.code == "points.region_too_broad"


def test_transfers_cannot_be_changed_or_deleted(village):
    record_points_event("wish.fulfilled", "wish:12", village.resident.id,
                        village.tree.village_a1.id)
    for statement in ("UPDATE points_transfer SET amount = 500",
                      "DELETE FROM points_transfer"):
        with pytest.raises(peewee.DatabaseError), database.atomic():
            database.execute_sql(statement)
    assert PointsTransfer.select(peewee.fn.SUM(PointsTransfer.amount)).scalar() == 10


def test_the_database_refuses_a_negative_balance_even_without_the_service(village):
    record_points_event("wish.fulfilled", "wish:13", village.resident.id,
                        village.tree.village_a1.id)
    with pytest.raises(peewee.IntegrityError), database.atomic():
        PointsAccount.update(balance=-1).where(PointsAccount.kind == "person").execute()


def test_explain_balance_lists_every_line_with_its_rule_and_running_balance(village):
    for n in (1, 2):
        record_points_event("wish.fulfilled", f"wish:{20 + n}", village.resident.id,
                            village.tree.village_a1.id)
    record_points_event("action.attended", "action:3:checkout:user:9", village.resident.id,
                        village.tree.village_a1.id, quantity=120)
    account = ledger.find_account("person", village.resident.id)
    statement = ledger.explain_balance(account, limit=2)
    assert [line.amount for line in statement.lines] == [20, 5]
    assert [line.balance_after for line in statement.lines] == [30, 10]
    assert statement.lines[0].rule_unit == "hour" and statement.lines[0].rule_points == 10
    assert statement.lines[0].event_name == rules.EVENT_TYPES["action.attended"][0]
    rest = ledger.explain_balance(account, before_id=statement.next_before_id, limit=2)
    assert [line.balance_after for line in rest.lines] == [5]
    assert rest.next_before_id is None


def test_tallies_count_earned_points_per_month_year_and_all_time(village):
    record_points_event("wish.fulfilled", "wish:30", village.resident.id,
                        village.tree.village_a1.id)
    account = ledger.find_account("person", village.resident.id)
    periods = {t.period: t.points for t in PointsTally.select().where(
        PointsTally.account == account.id)}
    assert set(periods.values()) == {5} and "all" in periods and len(periods) == 3


def test_the_wishes_feature_contract_keyword_call_inside_a_savepoint_is_credited(village):
    with database.atomic(), database.atomic():  # the caller's transaction and its savepoint
        event = record_points_event(event_type="wish.fulfilled", source_ref="wish:77",
                                    beneficiary_user_id=village.resident.id,
                                    region_id=village.tree.village_a1.id, quantity=1)
    assert event.status == "credited" and balance("person", village.resident.id) == 5
