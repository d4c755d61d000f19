"""Staff awards with a reason, and reversals: partial, never more than the credit, never of a
reversal, refused when the points were spent; each role in and out of scope."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.points import ledger
from app.points.awards import award_points, reverse_transfer
from app.points.models import PointsTally, PointsTransfer
from app.points.services import record_points_event


def person_balance(user):
    account = ledger.find_account("person", user.id)
    return account.balance if account else 0


def credit(village, ref="wish:1", quantity=1):
    event = record_points_event("wish.fulfilled", ref, village.resident.id,
                                village.tree.village_a1.id, quantity=quantity)
    return PointsTransfer.get_by_id(event.transfer_id)


def test_a_grid_worker_awards_points_with_a_reason_and_it_is_audited(village):
    event = award_points(village.actor(village.grid_worker), user_id=village.resident.id,
                         points=20, reason="清理楼道杂物", request_key="k-1")
    assert event.status == "credited" and person_balance(village.resident) == 20
    transfer = PointsTransfer.get_by_id(event.transfer_id)
    assert transfer.reason == "清理楼道杂物" and transfer.event_type == "staff.award"
    assert AuditEntry.select().where(AuditEntry.action == "points.award").count() == 1


def test_a_retried_award_with_the_same_request_key_counts_once(village):
    actor = village.actor(village.cadre)
    first = award_points(actor, user_id=village.resident.id, points=10, reason="好人好事",
                         request_key="same")
    again = award_points(actor, user_id=village.resident.id, points=10, reason="好人好事",
                         request_key="same")
    assert first.id == again.id and person_balance(village.resident) == 10


def test_an_award_above_the_rule_cap_is_refused(village):
    with pytest.raises(InvalidInput) as err:
        award_points(village.actor(village.cadre), user_id=village.resident.id, points=51,
                     reason="太多", request_key="k")
    assert err.value.code == "points.award_too_large"


def test_a_household_award_counts_for_the_household_only(village):
    award_points(village.actor(village.cadre), household_id=village.tree.household_a1.id,
                 points=30, reason="卫生评比第一", request_key="hh")
    assert ledger.find_account("household", village.tree.household_a1.id).balance == 30
    assert person_balance(village.resident) == 0


@pytest.mark.parametrize("who", ["other_cadre", "resident"])
def test_awards_outside_scope_or_by_residents_are_forbidden(village, who):
    kind = "miniprogram" if who == "resident" else "staff"
    with pytest.raises(Forbidden):
        award_points(village.actor(getattr(village, who), kind), user_id=village.resident.id,
                     points=5, reason="x", request_key="k")
    assert person_balance(village.resident) == 0


def test_a_reversal_takes_points_back_from_person_and_household_with_a_reason(village):
    original = credit(village, quantity=4)  # 20 points
    reversal = reverse_transfer(village.actor(village.cadre), original.id, amount=5,
                                reason="重复登记")
    assert reversal.reverses_id == original.id and reversal.amount == 5
    assert person_balance(village.resident) == 15
    assert ledger.find_account("household", village.tree.household_a1.id).balance == 15
    assert ledger.find_account("pool", village.tree.village_a1.id).balance == -30
    tally = PointsTally.get((PointsTally.account == original.to_account_id)
                            & (PointsTally.period == "all"))
    assert tally.points == 15


def test_reversing_more_than_was_credited_is_refused(village):
    original = credit(village, quantity=2)  # 10 points
    actor = village.actor(village.cadre)
    reverse_transfer(actor, original.id, amount=6, reason="部分冲正")
    with pytest.raises(InvalidInput) as err:
        reverse_transfer(actor, original.id, amount=5, reason="再冲")
    assert err.value.code == "points.reversal_too_large"
    reverse_transfer(actor, original.id, reason="余下全部")
    with pytest.raises(Conflict) as err:
        reverse_transfer(actor, original.id, reason="又一次")
    assert err.value.code == "points.already_reversed"
    assert person_balance(village.resident) == 0


def test_a_reversal_of_a_reversal_is_refused(village):
    actor = village.actor(village.cadre)
    reversal = reverse_transfer(actor, credit(village).id, reason="错误")
    with pytest.raises(Conflict) as err:
        reverse_transfer(actor, reversal.id, reason="撤销冲正")
    assert err.value.code == "points.not_reversible"


def test_a_reversal_needs_a_reason(village):
    with pytest.raises(InvalidInput):
        reverse_transfer(village.actor(village.cadre), credit(village).id, reason=" ")


def test_a_retried_reversal_with_its_request_key_returns_the_first(village):
    actor = village.actor(village.cadre)
    original = credit(village, quantity=2)
    first = reverse_transfer(actor, original.id, amount=3, reason="x", request_key="r1")
    again = reverse_transfer(actor, original.id, amount=3, reason="x", request_key="r1")
    assert first.id == again.id and person_balance(village.resident) == 7


@pytest.mark.parametrize("who,error", [("grid_worker", Forbidden), ("other_cadre", Forbidden),
                                       ("town_admin", None)])
def test_reversal_permissions_by_role(village, who, error):
    original = credit(village)
    call = lambda: reverse_transfer(village.actor(getattr(village, who)), original.id,  # noqa: E731
                                    reason="核查")
    if error is None:
        assert call().amount == 5
    else:
        with pytest.raises(error):
            call()


def test_an_unknown_transfer_is_not_found(village):
    with pytest.raises(NotFound):
        reverse_transfer(village.actor(village.cadre), 999, reason="x")
