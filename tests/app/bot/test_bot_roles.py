"""Every role against the bot's staff actions, on a region inside and outside its scope.

Outcomes: ``OK`` done; ``NO`` Forbidden; ``HID`` allowed for the role but not there (reported
missing / left out of the list, nothing changes).
"""

from __future__ import annotations

import pytest

from app.accounts.models import ROLES
from app.accounts.tokens import load_actor
from app.bot import config, dictionary, groups
from app.bot.announce import announce
from app.bot.models import BotGroup
from app.errors import Forbidden, NotFound
from tests.app.bot.harness import Chat
from tests.factories import build_tree, grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"
ACTIONS = ("issue_code", "unbind", "configure", "edit_dictionary", "announce")
#                         code        unbind      configure   dictionary  announce
#                         in   out    in   out    in   out    in   out    in   out
MATRIX = {
    "resident":              (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "grid_worker":           (OK, NO,   OK, HID,  NO, NO,   NO, NO,   OK, NO),
    "cadre":                 (OK, NO,   OK, HID,  NO, NO,   NO, NO,   OK, NO),
    "finance_panel":         (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "supervision_committee": (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "discipline_officer":    (NO, NO,   NO, NO,   NO, NO,   NO, NO,   NO, NO),
    "town_admin":            (OK, NO,   OK, HID,  OK, NO,   OK, NO,   OK, NO),
    "sysadmin":              (NO, NO,   OK, HID,  OK, NO,   OK, NO,   OK, NO),
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


def _bound_group(tree, building) -> BotGroup:
    binder = make_user()
    grant(binder, "town_admin", tree.district)
    code = groups.issue_binding_code(load_actor(binder, "staff"), building.id).code
    Chat(chat_id=f"chat-{building.id}").send("binder", f"绑定 {code}")
    return BotGroup.get(BotGroup.region == building.id)


@pytest.mark.parametrize(("role", "action", "where", "expected"), CASES)
def test_role_matrix(role, action, where, expected):
    assert set(MATRIX) == set(ROLES)
    tree = build_tree()
    user = make_user()
    grant(user, role, getattr(tree, GRANTED_AT[role]))
    actor = load_actor(user, "staff")
    building = tree.building_a1 if where == "in" else tree.building_b1
    town = tree.town_a if where == "in" else tree.town_b
    calls = {
        "issue_code": lambda: groups.issue_binding_code(actor, building.id),
        "unbind": lambda: groups.unbind_group(actor, _bound_group(tree, building).id),
        "configure": lambda: config.create_robot(actor, name="r", region_id=town.id,
                                                 webhook_key="0123456789abcdef"),
        "edit_dictionary": lambda: dictionary.save_keyword(actor, word="井盖", bucket="roads",
                                                           weight=2, town_id=town.id),
        "announce": lambda: announce(actor, building.id, "通知", f"{role}:{where}"),
    }
    assert attempt(calls[action]) == expected
