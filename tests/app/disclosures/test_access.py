"""Every role against the disclosure actions, on a village inside its town and outside it.

``OK`` the service did it; ``NO`` Forbidden; ``HID`` the disclosure is reported missing (it is
outside the caller's scope, so its existence is not revealed) and nothing changes.
"""

from __future__ import annotations

import pytest

from app.disclosures import services as disclosures
from app.errors import Forbidden, NotFound
from tests.app.disclosures.conftest import draft
from tests.app.supervision.fixtures import staff_user

OK, NO, HID = "allowed", "denied", "hidden"
ACTIONS = ("write", "approve_affairs", "approve_finance", "publish", "staff_list")
MATRIX = {
    #                        write  approve-a  approve-f  publish  list
    "grid_worker":           (NO,   NO,        NO,        NO,      NO),
    "cadre":                 (OK,   NO,        NO,        OK,      OK),
    "finance_panel":         (NO,   NO,        OK,        NO,      OK),
    "supervision_committee": (NO,   OK,        OK,        NO,      OK),
    "discipline_officer":    (NO,   NO,        NO,        NO,      OK),
    "town_admin":            (OK,   OK,        NO,        OK,      OK),
    "sysadmin":              (NO,   NO,        NO,        NO,      NO),
}
READERS = {"cadre", "finance_panel", "supervision_committee", "discipline_officer", "town_admin"}
GRANTED_AT = {"grid_worker": "grid_a1", "cadre": "village_a1", "finance_panel": "village_a1",
              "supervision_committee": "village_a1", "discipline_officer": "town_a",
              "town_admin": "town_a", "sysadmin": "town_a"}


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def _submitted(place, kind, village):
    item = draft(place, kind=kind, region=village, by=place.cadre_b if village ==
                 place.tree.village_b1 else "cadre",
                 period="2026-10" if kind == "finance" else "2026-Q4")
    disclosures.submit_disclosure(place.staff(place.cadre_b if village == place.tree.village_b1
                                              else "cadre"), item.id)
    return item


def run(place, actor, action, village):
    if action == "write":
        return attempt(lambda: disclosures.create_disclosure(
            actor, region_id=village.id, kind="affairs", category="decisions", title="标题",
            body="正文", period="2026-Q4"))
    if action in ("approve_affairs", "approve_finance"):
        item = _submitted(place, "affairs" if action == "approve_affairs" else "finance",
                          village)
        return attempt(lambda: disclosures.approve_disclosure(actor, item.id))
    if action == "publish":
        item = _submitted(place, "affairs", village)
        reviewer = place.actor(staff_user("supervision_committee", village, "审核人"), "staff")
        disclosures.approve_disclosure(reviewer, item.id)
        return attempt(lambda: disclosures.publish_disclosure(actor, item.id))
    item = _submitted(place, "affairs", village)
    listed = []
    outcome = attempt(lambda: listed.extend(d.id for d in disclosures.staff_disclosures_query(
        actor)))
    return HID if outcome == OK and item.id not in listed else outcome


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_may_do_only_its_part_and_only_in_its_scope(place, role, action):
    user = staff_user(role, getattr(place.tree, GRANTED_AT[role]), f"受测{role}")
    actor = place.actor(user, "staff")
    expected = MATRIX[role][ACTIONS.index(action)]
    assert run(place, actor, action, place.tree.village_a1) == expected
    # Outside its scope: creating there is refused; an existing disclosure there does not
    # exist for anyone who reads disclosures somewhere, and is refused to everyone else.
    outside = run(place, actor, action, place.tree.village_b1)
    assert outside == (HID if action != "write" and role in READERS else NO)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_resident_is_refused_every_staff_action(place, action):
    assert run(place, place.actor(place.resident), action, place.tree.village_a1) == NO


def test_narrowing_a_list_to_a_region_outside_the_scope_lists_nothing(place):
    draft(place, region=place.tree.village_b1, by=place.cadre_b)
    listed = list(disclosures.staff_disclosures_query(place.staff("town_admin"),
                                                      region_id=place.tree.village_b1.id))
    assert listed == []
