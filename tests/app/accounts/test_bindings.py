"""Household bindings: requesting, listing in scope, approving, rejecting, moving house."""

from __future__ import annotations

import pytest

from app.accounts import bindings
from app.accounts.models import HouseholdBinding, RoleGrant, User
from app.accounts.tokens import load_actor
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from tests.factories import build_tree, grant, make_user


@pytest.fixture
def tree():
    return build_tree()


def staff(role, region):
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


def visitor():
    return load_actor(make_user())


def ask(actor, household, name="张三", relation="户主"):
    return bindings.request_binding(actor, household_id=household.id, real_name=name,
                                    relation=relation)


def test_a_request_is_pending_and_remembers_the_household_path(tree):
    binding = ask(visitor(), tree.household_a1)
    assert binding.status == "pending"
    assert binding.region_path == tree.household_a1.path


def test_a_request_is_audited_without_the_real_name(tree):
    binding = ask(visitor(), tree.household_a1, name="王秘密")
    entry = AuditEntry.get(AuditEntry.action == "binding.request")
    assert entry.object_id == str(binding.id)
    assert entry.region_path == tree.household_a1.path
    assert "王秘密" not in entry.summary


def test_a_second_pending_request_is_refused(tree):
    actor = visitor()
    ask(actor, tree.household_a1)
    with pytest.raises(Conflict) as err:
        ask(actor, tree.household_a2)
    assert err.value.code == "binding.pending_exists"


def test_only_a_household_can_be_bound(tree):
    for region_id in (tree.building_a1.id, tree.village_a1.id, 999_999):
        with pytest.raises(InvalidInput) as err:
            bindings.request_binding(visitor(), household_id=region_id, real_name="张三",
                                     relation="户主")
        assert err.value.code == "binding.not_household"


def test_a_blank_name_is_refused(tree):
    with pytest.raises(InvalidInput) as err:
        ask(visitor(), tree.household_a1, name="   ")
    assert err.value.code == "binding.bad_name"


def test_an_anonymous_caller_cannot_ask():
    with pytest.raises(Unauthorized):
        bindings.request_binding(None, household_id=1, real_name="张三", relation="户主")


def test_asking_for_the_household_one_already_lives_in_is_refused(tree):
    user = make_user(household=tree.household_a1)
    with pytest.raises(Conflict) as err:
        ask(load_actor(user), tree.household_a1)
    assert err.value.code == "binding.already_bound"


def test_a_grid_worker_lists_only_pending_requests_of_their_grid_newest_first(tree):
    worker = staff("grid_worker", tree.grid_a1)
    first = ask(visitor(), tree.household_a1)
    second = ask(visitor(), tree.household_a1)
    ask(visitor(), tree.household_a2)
    ask(visitor(), tree.household_b1)
    rows = list(bindings.bindings_in_scope(worker).order_by(HouseholdBinding.id.desc()))
    assert [b.id for b in rows] == [second.id, first.id]


def test_a_cadre_of_a_village_sees_the_whole_village(tree):
    cadre = staff("cadre", tree.village_a2)
    mine = ask(visitor(), tree.household_a2)
    ask(visitor(), tree.household_a1)
    assert [b.id for b in bindings.bindings_in_scope(cadre)] == [mine.id]


def test_a_town_admin_may_not_list_binding_requests(tree):
    with pytest.raises(Forbidden):
        bindings.bindings_in_scope(staff("town_admin", tree.town_a))


def test_an_unknown_status_filter_is_refused(tree):
    with pytest.raises(InvalidInput) as err:
        bindings.bindings_in_scope(staff("grid_worker", tree.grid_a1), status="maybe")
    assert err.value.code == "binding.bad_status"


def test_the_staff_list_shows_the_full_address_and_a_masked_phone(tree):
    user = make_user(phone_masked="138****1234", phone_cipher="secret-cipher")
    ask(load_actor(user), tree.household_a1)
    rows = list(bindings.bindings_in_scope(staff("grid_worker", tree.grid_a1)))
    item = bindings.describe(rows, with_user=True)[0]
    assert item["household"]["address"] == "丰泽区 东海街道 东星社区 第一网格 1号楼 101室"
    assert item["user"] == {"id": user.id, "display_name": user.display_name,
                            "phone_masked": "138****1234"}


def test_approval_makes_the_user_a_resident_of_the_household(tree):
    worker = staff("grid_worker", tree.grid_a1)
    user = make_user()
    binding = ask(load_actor(user), tree.household_a1)
    approved = bindings.approve_binding(worker, binding.id)
    assert approved.status == "approved" and approved.decided_by_id == worker.user_id
    assert User.get_by_id(user.id).household_id == tree.household_a1.id
    live = RoleGrant.get((RoleGrant.user == user.id) & RoleGrant.revoked_at.is_null())
    assert (live.role, live.region_id) == ("resident", tree.household_a1.id)
    assert load_actor(User.get_by_id(user.id)).is_resident


def test_approval_is_audited_with_the_approvers_grant(tree):
    worker = staff("grid_worker", tree.grid_a1)
    binding = ask(visitor(), tree.household_a1, name="李四")
    bindings.approve_binding(worker, binding.id)
    entry = AuditEntry.get(AuditEntry.action == "binding.approve")
    assert (entry.actor_id, entry.actor_role) == (worker.user_id, "grid_worker")
    assert entry.region_path == tree.household_a1.path
    assert "李四" not in entry.summary


def test_deciding_outside_ones_scope_looks_like_a_missing_request(tree):
    worker = staff("grid_worker", tree.grid_a1)
    elsewhere = ask(visitor(), tree.household_a2)
    for binding_id in (elsewhere.id, 999_999):
        with pytest.raises(NotFound) as err:
            bindings.approve_binding(worker, binding_id)
        assert err.value.code == "binding.not_found"
    assert HouseholdBinding.get_by_id(elsewhere.id).status == "pending"


def test_a_request_cannot_be_decided_twice(tree):
    worker = staff("grid_worker", tree.grid_a1)
    binding = ask(visitor(), tree.household_a1)
    bindings.approve_binding(worker, binding.id)
    with pytest.raises(Conflict) as err:
        bindings.reject_binding(worker, binding.id, reason="重复")
    assert err.value.code == "binding.already_decided"
    with pytest.raises(Conflict):
        bindings.approve_binding(worker, binding.id)


def test_staff_cannot_decide_their_own_request(tree):
    worker = staff("grid_worker", tree.grid_a1)
    binding = ask(worker, tree.household_a1)
    with pytest.raises(Forbidden) as err:
        bindings.approve_binding(worker, binding.id)
    assert err.value.code == "binding.own_request"


def test_a_resident_cannot_decide_requests(tree):
    binding = ask(visitor(), tree.household_a1)
    resident = load_actor(make_user(household=tree.household_a1))
    with pytest.raises(Forbidden):
        bindings.approve_binding(resident, binding.id)


def test_rejection_needs_a_reason(tree):
    worker = staff("grid_worker", tree.grid_a1)
    binding = ask(visitor(), tree.household_a1)
    with pytest.raises(InvalidInput) as err:
        bindings.reject_binding(worker, binding.id, reason="  ")
    assert err.value.code == "binding.reason_required"
    assert HouseholdBinding.get_by_id(binding.id).status == "pending"


def test_the_resident_sees_the_rejection_reason_and_may_ask_again(tree):
    worker = staff("grid_worker", tree.grid_a1)
    actor = visitor()
    binding = ask(actor, tree.household_a1)
    bindings.reject_binding(worker, binding.id, reason="门牌号与登记信息不符")
    [mine] = bindings.my_bindings(actor)
    assert (mine["status"], mine["reason"]) == ("rejected", "门牌号与登记信息不符")
    assert "门牌号" not in AuditEntry.get(AuditEntry.action == "binding.reject").summary
    assert ask(actor, tree.household_a1).status == "pending"
    assert User.get_by_id(actor.user_id).household_id is None


def test_moving_house_ends_the_old_binding_and_keeps_its_history(tree):
    user = make_user()
    first = ask(load_actor(user), tree.household_a1)
    bindings.approve_binding(staff("grid_worker", tree.grid_a1), first.id)
    second = ask(load_actor(User.get_by_id(user.id)), tree.household_b1)
    bindings.approve_binding(staff("cadre", tree.village_b1), second.id)

    old = HouseholdBinding.get_by_id(first.id)
    assert old.status == "ended" and old.ended_at is not None
    assert User.get_by_id(user.id).household_id == tree.household_b1.id
    held = {g.region_id: g.revoked_at
            for g in RoleGrant.select().where(RoleGrant.user == user.id)}
    assert held[tree.household_a1.id] is not None and held[tree.household_b1.id] is None
    history = bindings.my_bindings(load_actor(User.get_by_id(user.id)))
    assert [(b["id"], b["status"]) for b in history] == [(second.id, "approved"),
                                                         (first.id, "ended")]
    ended = AuditEntry.get(AuditEntry.action == "binding.end")
    assert ended.region_path == tree.household_a1.path


def test_my_bindings_shows_only_my_own(tree):
    mine = visitor()
    ask(mine, tree.household_a1)
    ask(visitor(), tree.household_a2)
    assert [b["household"]["id"] for b in bindings.my_bindings(mine)] == [tree.household_a1.id]
