"""The demo seeder: idempotent, complete (every role), and resident 1 can use the app at once."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app import demo
from app.accounts import passwords
from app.accounts.models import ROLES, HouseholdBinding, RoleGrant, StaffCredential, User
from app.db import database
from app.regions.models import Region

EXPECTED_LEVEL = {
    "resident": "household",
    "grid_worker": "grid",
    "cadre": "village",
    "finance_panel": "village",
    "supervision_committee": "village",
    "discipline_officer": "town",
    "town_admin": "town",
    "sysadmin": "district",
}


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    # The seeder creates 17 console accounts; argon2's production cost would make each test
    # take seconds. Parameters are stored in each hash, so verification is unaffected.
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _row_counts() -> dict[str, int]:
    return {table: database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in database.get_tables()}


def test_seeding_twice_changes_nothing_and_returns_the_same_logins():
    first = demo.seed_demo()
    counts = _row_counts()
    second = demo.seed_demo()
    assert second == first
    assert _row_counts() == counts


def test_every_role_is_granted_at_its_level():
    demo.seed_demo()
    rows = (RoleGrant.select(RoleGrant.role, Region.level).join(Region)
            .where(RoleGrant.revoked_at.is_null()).tuples())
    levels = {}
    for role, level in rows:
        levels.setdefault(role, set()).add(level)
    assert set(levels) == set(ROLES)
    assert levels == {role: {level} for role, level in EXPECTED_LEVEL.items()}


def test_every_staff_login_uses_the_demo_password():
    lines = "\n".join(demo.seed_demo())
    for credential in StaffCredential.select():
        assert credential.username in lines
        assert passwords.verify_password(credential.password_hash, demo.DEMO_PASSWORD)


def test_demo_resident_1_is_bound_to_a_household_with_a_resident_grant():
    lines = demo.seed_demo()
    user = User.get(User.openid == "demo-resident-1")
    household = Region.get_by_id(user.household_id)
    assert household.level == "household"
    assert user.display_name and user.is_volunteer
    assert RoleGrant.select().where((RoleGrant.user == user.id) & (RoleGrant.role == "resident")
                                    & (RoleGrant.region == household.id)).exists()
    assert HouseholdBinding.get(HouseholdBinding.user == user.id).status == "approved"
    assert any('"code":"test:demo-resident-1"' in line for line in lines)


def test_one_village_has_an_estate_and_buildings_elsewhere_hang_under_grids():
    demo.seed_demo()
    parents = {b.parent.level for b in Region.select().where(Region.level == "building")}
    assert parents == {"estate", "grid"}
    assert Region.select().where(Region.level == "village").count() == 3
