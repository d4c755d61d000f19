"""Staff lookup of people in their scope, by list, region and exact phone."""

from __future__ import annotations

import pytest

from app import crypto
from app.accounts import phone as phones
from app.accounts import users
from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.errors import Forbidden, InvalidInput, NotFound
from tests.factories import build_tree, grant, make_user


@pytest.fixture
def tree():
    return build_tree()


def staff(role, region):
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


def with_phone(user, number):
    User.update(phone_hash=crypto.keyed_hash(phones.LOOKUP_PURPOSE, number),
                phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, number),
                phone_masked=phones.mask(number)).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def ids(query):
    return sorted(u.id for u in query)


def test_a_grid_worker_sees_the_residents_of_their_grid_only(tree):
    worker = staff("grid_worker", tree.grid_a1)
    here = make_user(household=tree.household_a1)
    make_user(household=tree.household_a2)
    make_user()
    assert ids(users.users_in_scope(worker)) == sorted([here.id, worker.user_id])


def test_a_town_admin_sees_the_whole_town_including_its_staff(tree):
    admin = staff("town_admin", tree.town_a)
    a1 = make_user(household=tree.household_a1)
    a2 = make_user(household=tree.household_a2)
    cadre = staff("cadre", tree.village_a2)
    make_user(household=tree.household_b1)
    assert ids(users.users_in_scope(admin)) == sorted([a1.id, a2.id, cadre.user_id,
                                                       admin.user_id])


def test_a_revoked_grant_no_longer_puts_someone_in_scope(tree):
    worker = staff("grid_worker", tree.grid_a1)
    former = make_user()
    held = grant(former, "grid_worker", tree.grid_a1)
    assert former.id in ids(users.users_in_scope(worker))
    held.revoked_at = held.created_at
    held.save()
    assert former.id not in ids(users.users_in_scope(worker))


def test_the_region_filter_narrows_within_the_scope(tree):
    admin = staff("town_admin", tree.town_a)
    a1 = make_user(household=tree.household_a1)
    make_user(household=tree.household_a2)
    assert ids(users.users_in_scope(admin, region_id=tree.village_a1.id)) == [a1.id]
    assert ids(users.users_in_scope(admin, region_id=tree.village_b1.id)) == []
    with pytest.raises(NotFound):
        users.users_in_scope(admin, region_id=999_999)


def test_a_region_filter_above_the_scope_keeps_only_the_scope(tree):
    worker = staff("grid_worker", tree.grid_a1)
    a1 = make_user(household=tree.household_a1)
    make_user(household=tree.household_a2)
    assert ids(users.users_in_scope(worker, region_id=tree.town_a.id)) == sorted(
        [a1.id, worker.user_id])


def test_lookup_by_exact_phone_finds_a_person_in_scope(tree):
    person = with_phone(make_user(household=tree.household_a1), "13812341234")
    with_phone(make_user(household=tree.household_a1), "13900001111")
    found = list(users.users_in_scope(staff("cadre", tree.village_a1), phone="138 1234 1234"))
    assert [u.id for u in found] == [person.id]
    assert found[0].phone_masked == "138****1234"


def test_lookup_by_phone_outside_the_scope_finds_nobody(tree):
    with_phone(make_user(household=tree.household_b1), "13812341234")
    assert ids(users.users_in_scope(staff("cadre", tree.village_a1),
                                    phone="13812341234")) == []


def test_a_malformed_phone_is_refused(tree):
    with pytest.raises(InvalidInput) as err:
        users.users_in_scope(staff("cadre", tree.village_a1), phone="12345")
    assert err.value.code == "phone.invalid"


def test_roles_without_user_read_are_refused(tree):
    for role in ("finance_panel", "supervision_committee", "discipline_officer"):
        with pytest.raises(Forbidden):
            users.users_in_scope(staff(role, tree.village_a1))
    with pytest.raises(Forbidden):
        users.users_in_scope(load_actor(make_user(household=tree.household_a1)))


def test_the_household_is_joined_for_rendering(tree):
    make_user(household=tree.household_a1)
    rows = {u.id: u for u in users.users_in_scope(staff("sysadmin", tree.town_a))}
    households = {u.household.id if u.household else None for u in rows.values()}
    assert tree.household_a1.id in households
