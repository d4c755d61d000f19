"""Role grants by sysadmins, volunteer / party-member flags, and the console region browser."""

from __future__ import annotations

import pytest

from app.accounts import grants
from app.accounts.models import RoleGrant, User
from app.accounts.tokens import load_actor
from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import build_tree, grant, make_user


@pytest.fixture
def tree():
    return build_tree()


def staff(role, region):
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


def test_a_sysadmin_grants_a_role_inside_their_scope(tree):
    admin = staff("sysadmin", tree.town_a)
    target = make_user()
    new = grants.grant_role(admin, user_id=target.id, role="grid_worker",
                            region_id=tree.grid_a1.id)
    assert (new.user_id, new.role, new.region_id) == (target.id, "grid_worker", tree.grid_a1.id)
    assert new.granted_by_id == admin.user_id
    assert "grid_worker" in load_actor(User.get_by_id(target.id)).roles


def test_granting_is_audited_with_ids_only(tree):
    admin = staff("sysadmin", tree.town_a)
    target = make_user(name="赵六")
    new = grants.grant_role(admin, user_id=target.id, role="cadre", region_id=tree.village_a1.id)
    entry = AuditEntry.get(AuditEntry.action == "grant.create")
    assert entry.object_id == str(new.id) and entry.actor_role == "sysadmin"
    assert entry.region_path == tree.village_a1.path
    assert "赵六" not in entry.summary


def test_a_sysadmin_cannot_grant_outside_their_scope(tree):
    admin = staff("sysadmin", tree.town_a)
    with pytest.raises(Forbidden):
        grants.grant_role(admin, user_id=make_user().id, role="cadre",
                          region_id=tree.village_b1.id)
    with pytest.raises(Forbidden):
        grants.grant_role(admin, user_id=make_user().id, role="town_admin",
                          region_id=tree.district.id)


def test_only_a_sysadmin_may_grant(tree):
    for role, region in (("town_admin", tree.town_a), ("cadre", tree.village_a1)):
        with pytest.raises(Forbidden):
            grants.grant_role(staff(role, region), user_id=make_user().id, role="grid_worker",
                              region_id=tree.grid_a1.id)


def test_resident_is_never_granted_directly(tree):
    with pytest.raises(InvalidInput) as err:
        grants.grant_role(staff("sysadmin", tree.town_a), user_id=make_user().id,
                          role="resident", region_id=tree.household_a1.id)
    assert err.value.code == "grant.resident_from_binding"


def test_an_unknown_role_or_region_or_user_is_refused(tree):
    admin = staff("sysadmin", tree.town_a)
    with pytest.raises(InvalidInput) as err:
        grants.grant_role(admin, user_id=make_user().id, role="mayor", region_id=tree.town_a.id)
    assert err.value.code == "grant.bad_role"
    with pytest.raises(InvalidInput) as err:
        grants.grant_role(admin, user_id=make_user().id, role="cadre", region_id=999_999)
    assert err.value.code == "grant.bad_region"
    with pytest.raises(NotFound) as err:
        grants.grant_role(admin, user_id=999_999, role="cadre", region_id=tree.village_a1.id)
    assert err.value.code == "user.not_found"


def test_the_same_live_grant_is_not_given_twice(tree):
    admin = staff("sysadmin", tree.town_a)
    target = make_user()
    grants.grant_role(admin, user_id=target.id, role="cadre", region_id=tree.village_a1.id)
    with pytest.raises(Conflict) as err:
        grants.grant_role(admin, user_id=target.id, role="cadre", region_id=tree.village_a1.id)
    assert err.value.code == "grant.exists"


def test_revoking_ends_the_grant_but_keeps_the_row(tree):
    admin = staff("sysadmin", tree.town_a)
    target = make_user()
    held = grant(target, "cadre", tree.village_a1)
    revoked = grants.revoke_grant(admin, held.id)
    assert revoked.revoked_at is not None
    assert "cadre" not in load_actor(User.get_by_id(target.id)).roles
    assert AuditEntry.get(AuditEntry.action == "grant.revoke").object_id == str(held.id)
    with pytest.raises(Conflict) as err:
        grants.revoke_grant(admin, held.id)
    assert err.value.code == "grant.already_revoked"


def test_a_grant_outside_the_scope_cannot_be_revoked_or_seen(tree):
    held = grant(make_user(), "cadre", tree.village_b1)
    with pytest.raises(NotFound) as err:
        grants.revoke_grant(staff("sysadmin", tree.town_a), held.id)
    assert err.value.code == "grant.not_found"
    assert RoleGrant.get_by_id(held.id).revoked_at is None


def test_resident_grants_and_ones_own_grants_are_not_revoked_here(tree):
    admin = staff("sysadmin", tree.town_a)
    resident = grant(make_user(household=tree.household_a1), "resident", tree.household_a1)
    with pytest.raises(Conflict) as err:
        grants.revoke_grant(admin, resident.id)
    assert err.value.code == "grant.resident_from_binding"
    with pytest.raises(Conflict) as err:
        grants.revoke_grant(admin, admin.grants[0].id)
    assert err.value.code == "grant.own_grant"


def test_a_grid_worker_marks_a_resident_of_their_grid_as_volunteer(tree):
    person = make_user(household=tree.household_a1)
    updated = grants.set_flags(staff("grid_worker", tree.grid_a1), person.id, is_volunteer=True)
    assert updated.is_volunteer is True and updated.is_party_member is False
    entry = AuditEntry.get(AuditEntry.action == "user.set_flags")
    assert entry.region_path == tree.household_a1.path and entry.actor_role == "grid_worker"


def test_flags_can_be_unset(tree):
    person = make_user(household=tree.household_a1, is_party_member=True, is_volunteer=True)
    updated = grants.set_flags(staff("cadre", tree.village_a1), person.id, is_party_member=False)
    assert (updated.is_volunteer, updated.is_party_member) == (True, False)


def test_flags_outside_the_scope_look_like_a_missing_user(tree):
    person = make_user(household=tree.household_a2)
    with pytest.raises(NotFound) as err:
        grants.set_flags(staff("grid_worker", tree.grid_a1), person.id, is_volunteer=True)
    assert err.value.code == "user.not_found"
    assert User.get_by_id(person.id).is_volunteer is False


def test_only_a_sysadmin_marks_someone_without_a_household(tree):
    person = make_user()
    with pytest.raises(NotFound):
        grants.set_flags(staff("cadre", tree.village_a1), person.id, is_volunteer=True)
    admin = staff("sysadmin", tree.town_a)
    assert grants.set_flags(admin, person.id, is_volunteer=True).is_volunteer is True
    assert AuditEntry.get(AuditEntry.action == "user.set_flags").region_path == tree.town_a.path


def test_setting_no_flag_is_refused(tree):
    with pytest.raises(InvalidInput) as err:
        grants.set_flags(staff("sysadmin", tree.town_a), make_user().id)
    assert err.value.code == "user.no_flags"


def test_other_roles_may_not_set_flags(tree):
    person = make_user(household=tree.household_a1)
    for role, region in (("town_admin", tree.town_a), ("finance_panel", tree.village_a1)):
        with pytest.raises(Forbidden):
            grants.set_flags(staff(role, region), person.id, is_volunteer=True)


def test_the_region_overview_pages_children_in_scope(tree):
    cadre = staff("cadre", tree.town_a)
    first = grants.region_overview(cadre, tree.town_a.id, limit=1)
    assert [r.id for r in first["ancestors"]] == [tree.district.id]
    assert [r.id for r in first["children"]] == [tree.village_a1.id] and first["has_more"]
    rest = grants.region_overview(cadre, tree.town_a.id, after_id=tree.village_a1.id, limit=1)
    assert [r.id for r in rest["children"]] == [tree.village_a2.id] and not rest["has_more"]
    with pytest.raises(Forbidden):
        grants.region_overview(cadre, tree.town_b.id)
    with pytest.raises(NotFound):
        grants.region_overview(cadre, 999_999)
