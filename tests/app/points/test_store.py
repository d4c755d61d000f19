"""The village 爱心超市: redeeming debits points and takes stock together, never below zero
and never oversold; staff confirm hand-over; cancelling refunds."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, NotFound
from app.points import ledger, store
from app.points.models import PointsTally, StoreItem
from app.points.services import record_points_event


def earn(village, user, points_times_5=4, ref="wish:1"):
    record_points_event("wish.fulfilled", ref, user.id, village.tree.village_a1.id,
                        quantity=points_times_5)


def item(village, cost=10, stock=2):
    return store.create_item(village.actor(village.cadre), village_id=village.tree.village_a1.id,
                             name="大米一袋", cost=cost, stock=stock)


def balance(user):
    return ledger.find_account("person", user.id).balance


def test_redeeming_debits_points_and_takes_stock(village):
    earn(village, village.resident)  # 20 points
    good = item(village)
    redemption = store.redeem_item(village.resident_actor(village.resident), good.id,
                                   request_key="r1")
    assert redemption.status == "reserved" and redemption.points == 10
    assert balance(village.resident) == 10
    assert StoreItem.get_by_id(good.id).stock == 1
    sink = ledger.find_account("sink", village.tree.village_a1.id)
    assert sink.balance == 10


def test_redemptions_do_not_lower_earned_points(village):
    earn(village, village.resident)
    store.redeem_item(village.resident_actor(village.resident), item(village).id,
                      request_key="r1")
    account = ledger.find_account("person", village.resident.id)
    assert PointsTally.get((PointsTally.account == account.id)
                           & (PointsTally.period == "all")).points == 20


def test_a_redemption_beyond_the_balance_is_refused_and_takes_no_stock(village):
    earn(village, village.resident, 1)  # 5 points
    good = item(village)
    with pytest.raises(Conflict) as err:
        store.redeem_item(village.resident_actor(village.resident), good.id, request_key="r")
    assert err.value.code == "points.insufficient_balance"
    assert StoreItem.get_by_id(good.id).stock == 2 and balance(village.resident) == 5


def test_an_item_is_never_oversold_and_the_points_stay(village):
    earn(village, village.resident, 10)  # 50 points
    good = item(village, stock=1)
    actor = village.resident_actor(village.resident)
    store.redeem_item(actor, good.id, request_key="a")
    with pytest.raises(Conflict) as err:
        store.redeem_item(actor, good.id, request_key="b")
    assert err.value.code == "points.out_of_stock"
    assert balance(village.resident) == 40 and StoreItem.get_by_id(good.id).stock == 0


def test_a_retried_redemption_returns_the_first(village):
    earn(village, village.resident)
    good = item(village)
    actor = village.resident_actor(village.resident)
    first = store.redeem_item(actor, good.id, request_key="same")
    again = store.redeem_item(actor, good.id, request_key="same")
    assert first.id == again.id and balance(village.resident) == 10


def test_another_villages_store_does_not_exist_for_a_resident(village):
    earn(village, village.outsider, ref="wish:o")
    with pytest.raises(NotFound):
        store.redeem_item(village.resident_actor(village.outsider), item(village).id,
                          request_key="x")


def test_staff_confirm_hand_over_once_and_it_is_audited(village):
    earn(village, village.resident)
    redemption = store.redeem_item(village.resident_actor(village.resident), item(village).id,
                                   request_key="r")
    with pytest.raises(NotFound):  # a grid worker's grant does not reach the village store
        store.hand_over(village.actor(village.grid_worker), redemption.id)
    done = store.hand_over(village.actor(village.town_admin), redemption.id)
    assert done.status == "handed_over"
    with pytest.raises(Conflict):
        store.hand_over(village.actor(village.cadre), redemption.id)
    assert AuditEntry.select().where(AuditEntry.action == "points.hand_over").count() == 1


def test_hand_over_outside_scope_is_not_found(village):
    earn(village, village.resident)
    redemption = store.redeem_item(village.resident_actor(village.resident), item(village).id,
                                   request_key="r")
    with pytest.raises(NotFound):
        store.hand_over(village.actor(village.other_cadre), redemption.id)


def test_cancelling_refunds_points_and_restores_stock(village):
    earn(village, village.resident)
    good = item(village)
    redemption = store.redeem_item(village.resident_actor(village.resident), good.id,
                                   request_key="r")
    cancelled = store.cancel_redemption(village.resident_actor(village.resident), redemption.id)
    assert cancelled.status == "cancelled" and cancelled.refund_transfer_id is not None
    assert balance(village.resident) == 20 and StoreItem.get_by_id(good.id).stock == 2
    with pytest.raises(Conflict):
        store.cancel_redemption(village.actor(village.cadre), redemption.id, reason="重复")


def test_only_store_managers_put_goods_on_the_shelf(village):
    with pytest.raises(Forbidden):
        store.create_item(village.actor(village.grid_worker),
                          village_id=village.tree.village_a1.id, name="油", cost=5, stock=1)
    with pytest.raises(Forbidden):
        store.create_item(village.actor(village.other_cadre),
                          village_id=village.tree.village_a1.id, name="油", cost=5, stock=1)


def test_writing_off_stock_never_goes_below_zero(village):
    good = item(village, stock=2)
    with pytest.raises(Conflict):
        store.update_item(village.actor(village.cadre), good.id, stock_change=-3)
    assert store.update_item(village.actor(village.cadre), good.id,
                             stock_change=5).stock == 7
