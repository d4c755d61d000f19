"""Every role against the staff acts of points and actions, on an object in village A1 (each
role holding one grant in town A, as in the foundation's matrix). ``OK`` the act succeeded,
``NO`` Forbidden, ``HID`` the object is reported missing (its existence is not revealed)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.models import ROLES
from app.actions import services as actions
from app.clock import frozen
from app.errors import Forbidden, NotFound
from app.points import awards, queries, setup, store
from app.points.services import record_points_event
from tests.app.points.conftest import make_village
from tests.factories import grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"
GRANTED_AT = {
    "resident": "household_a1", "grid_worker": "grid_a1", "cadre": "village_a1",
    "finance_panel": "village_a1", "supervision_committee": "village_a1",
    "discipline_officer": "town_a", "town_admin": "town_a", "sysadmin": "town_a",
}
ACTS = ("award", "reverse", "set_rule", "create_item", "hand_over", "read_account",
        "publish_action", "approve_organiser")
#                        award rev  rule item hand read act  org
MATRIX = {
    "resident":              (NO, NO, NO, NO, HID, HID, NO, NO),
    "grid_worker":           (OK, NO, NO, NO, HID, OK, NO, NO),
    "cadre":                 (OK, OK, OK, OK, OK, OK, OK, OK),
    "finance_panel":         (NO, NO, NO, NO, HID, HID, NO, NO),
    "supervision_committee": (NO, NO, NO, NO, NO, OK, NO, NO),
    "discipline_officer":    (NO, NO, NO, NO, NO, OK, NO, NO),
    "town_admin":            (OK, OK, OK, OK, OK, OK, OK, OK),
    "sysadmin":              (NO, NO, OK, NO, NO, OK, NO, NO),
}
CASES = [(role, act, MATRIX[role][i]) for role in ROLES for i, act in enumerate(ACTS)]


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


@pytest.mark.parametrize("role,act,expected", CASES)
def test_role_matrix(role, act, expected):
    village = make_village()
    user = make_user(name="受测者")
    grant(user, role, getattr(village.tree, GRANTED_AT[role]))
    actor = village.actor(user, "miniprogram" if role == "resident" else "staff")
    region = village.tree.village_a1
    event = record_points_event("wish.fulfilled", "wish:1", village.resident.id, region.id, 4)
    item = store.create_item(village.actor(village.cadre), village_id=region.id, name="米",
                             cost=5, stock=3)
    redemption = store.redeem_item(village.resident_actor(village.resident), item.id,
                                   request_key="m")
    now = dt.datetime(2026, 11, 23, 1)
    calls = {
        "award": lambda: awards.award_points(actor, user_id=village.resident.id, points=5,
                                             reason="好人好事", request_key="x"),
        "reverse": lambda: awards.reverse_transfer(actor, event.transfer_id, amount=1,
                                                   reason="核查"),
        "set_rule": lambda: setup.set_rule(actor, region_id=region.id,
                                           event_type="wish.fulfilled", points=6, unit="event"),
        "create_item": lambda: store.create_item(actor, village_id=region.id, name="油",
                                                 cost=5, stock=1),
        "hand_over": lambda: store.hand_over(actor, redemption.id),
        "read_account": lambda: queries.staff_account(actor, redemption.account_id),
        "publish_action": lambda: actions.create_action(
            actor, region_id=region.id, title="清洁", place="广场",
            starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1, hours=2),
            capacity=3),
        "approve_organiser": lambda: actions.approve_organiser(
            actor, user_id=village.neighbour.id, region_id=region.id),
    }
    with frozen(now):
        assert attempt(calls[act]) == expected
