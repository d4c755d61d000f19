"""Every role against every foundation action, on an object inside and outside its scope.

Each role holds one grant in town A (see ``GRANTED_AT``); the object of each action lies in a
household of town A ("in") or of town B ("out"). The outcome is one of:

* ``OK``   the service did it (and the effect is visible),
* ``NO``   Forbidden: the role may never do this,
* ``HID``  the role may do this, but not here: the object is reported missing or left out of
           the list, so nothing about it leaks, and nothing changes.
"""

from __future__ import annotations

import pytest

from app.accounts import bindings, grants, users
from app.accounts.models import ROLES, HouseholdBinding, RoleGrant, User
from app.accounts.tokens import load_actor
from app.audit.services import audit_query, record
from app.db import database
from app.errors import Forbidden, NotFound
from tests.factories import build_tree, grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"

ACTIONS = ("approve_binding", "list_users", "grant_role", "read_audit", "set_volunteer")
#                         approve     list users  grant role  audit log   volunteer
#                         in   out    in   out    in   out    in   out    in   out
MATRIX = {
    "resident":              (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "grid_worker":           (OK, HID,  OK, HID,  NO, NO,   NO, NO,   OK, HID),
    "cadre":                 (OK, HID,  OK, HID,  NO, NO,   NO, NO,   OK, HID),
    "finance_panel":         (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "supervision_committee": (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "discipline_officer":    (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "town_admin":            (NO, NO,   OK, HID,  NO, NO,   OK, HID,  NO, NO),
    "sysadmin":              (NO, NO,   OK, HID,  OK, NO,   OK, HID,  OK, HID),
}
GRANTED_AT = {
    "resident": "household_a1", "grid_worker": "grid_a1", "cadre": "village_a1",
    "finance_panel": "village_a1", "supervision_committee": "village_a1",
    "discipline_officer": "town_a", "town_admin": "town_a", "sysadmin": "town_a",
}
CASES = [(role, action, where, MATRIX[role][2 * i + (where == "out")])
         for role in MATRIX for i, action in enumerate(ACTIONS) for where in ("in", "out")]


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def approve_binding(actor, tree, household):
    visitor = load_actor(make_user())
    binding = bindings.request_binding(visitor, household_id=household.id, real_name="陈一",
                                       relation="户主")
    outcome = attempt(lambda: bindings.approve_binding(actor, binding.id))
    status = HouseholdBinding.get_by_id(binding.id).status
    assert status == ("approved" if outcome == OK else "pending")
    return outcome


def list_users(actor, tree, household):
    person = make_user(household=household)
    listed = []
    outcome = attempt(lambda: listed.extend(u.id for u in users.users_in_scope(actor)))
    if outcome == OK and person.id not in listed:
        return HID
    return outcome


def grant_role(actor, tree, household):
    village = tree.village_a1 if household == tree.household_a1 else tree.village_b1
    target = make_user()
    outcome = attempt(lambda: grants.grant_role(actor, user_id=target.id, role="cadre",
                                                region_id=village.id))
    assert RoleGrant.select().where(RoleGrant.user == target.id).exists() == (outcome == OK)
    return outcome


def read_audit(actor, tree, household):
    with database.atomic():
        entry = record(actor=None, grant=None, action="matrix.probe", object_type="thing",
                       object_id=1, region_path=household.path, region_id=household.id)
    seen = []
    outcome = attempt(lambda: seen.extend(e.id for e in audit_query(actor)))
    if outcome == OK and entry.id not in seen:
        return HID
    return outcome


def set_volunteer(actor, tree, household):
    person = make_user(household=household)
    outcome = attempt(lambda: grants.set_flags(actor, person.id, is_volunteer=True))
    assert User.get_by_id(person.id).is_volunteer == (outcome == OK)
    return outcome


RUN = {"approve_binding": approve_binding, "list_users": list_users, "grant_role": grant_role,
       "read_audit": read_audit, "set_volunteer": set_volunteer}


def actor_for(role, tree):
    region = getattr(tree, GRANTED_AT[role])
    if role == "resident":
        user = make_user(household=region)
        grant(user, "resident", region)
        return load_actor(User.get_by_id(user.id))
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


@pytest.mark.parametrize("role,action,where,expected", CASES,
                         ids=[f"{r}-{a}-{w}" for r, a, w, _ in CASES])
def test_role_may_or_may_not_act_in_and_out_of_scope(role, action, where, expected):
    tree = build_tree()
    household = tree.household_a1 if where == "in" else tree.household_b1
    actor = actor_for(role, tree)
    assert RUN[action](actor, tree, household) == expected


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == set(ROLES) == set(GRANTED_AT)
    assert set(RUN) == set(ACTIONS)
