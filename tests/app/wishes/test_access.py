"""Who may see and do what with wishes: every role on a wish inside and outside its scope, and
the residents' own limits (only volunteers and party members of the village claim, only the
wisher confirms, only the claimant fulfils).

Outcomes, as in ``tests/app/test_role_matrix.py``: ``OK`` done; ``NO`` permission denied (the
role may never do this); ``HID`` reported missing (not here), and nothing changes.
"""

from __future__ import annotations

import pytest

from app.accounts.models import ROLES, User
from app.accounts.tokens import load_actor
from app.errors import Forbidden, NotFound, Unauthorized
from app.wishes import claims, review, settings
from app.wishes import services as wishes
from app.wishes.models import Wish, WishSettings
from tests.app.wishes.conftest import approved, claimed, fresh, fulfilled, submitted
from tests.factories import grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"

ACTIONS = ("view", "list_all", "review_queue", "approve", "reject", "take_down", "configure")
#                       view      list all  queue     approve   reject    takedown  configure
MATRIX = {
    "resident":        ((HID, HID), (NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID),
                        (NO, NO)),
    "grid_worker":     ((OK, HID), (OK, HID), (OK, HID), (OK, HID), (OK, HID), (OK, HID),
                        (NO, NO)),
    "cadre":           ((OK, HID), (OK, HID), (OK, HID), (OK, HID), (OK, HID), (OK, HID),
                        (NO, NO)),
    "finance_panel":   ((HID, HID), (NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID),
                        (NO, NO)),
    "supervision_committee": ((HID, HID), (NO, NO), (NO, NO), (HID, HID), (HID, HID),
                              (HID, HID), (NO, NO)),
    "discipline_officer": ((HID, HID), (NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID),
                           (NO, NO)),
    "town_admin":      ((OK, HID), (OK, HID), (NO, NO), (NO, HID), (NO, HID), (OK, HID),
                        (OK, NO)),
    "sysadmin":        ((HID, HID), (NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID),
                        (NO, NO)),
}
GRANTED_AT = {
    "resident": "household_a1", "grid_worker": "grid_a1", "cadre": "village_a1",
    "finance_panel": "village_a1", "supervision_committee": "village_a1",
    "discipline_officer": "town_a", "town_admin": "town_a", "sysadmin": "town_a",
}
CASES = [(role, action, where, MATRIX[role][i][where == "out"])
         for role in MATRIX for i, action in enumerate(ACTIONS) for where in ("in", "out")]


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def wish_in(village, where, state="submitted"):
    """A wish of household A1 ("in": town A) or of household B1 ("out": town B)."""
    if where == "in":
        wisher = village.wisher
    else:
        wisher = make_user(household=village.tree.household_b1, name="外镇居民")
    build = submitted if state == "submitted" else approved
    if build is approved and where == "out":
        wish = submitted(village, user=wisher)
        reviewer = make_user()
        grant(reviewer, "cadre", village.tree.village_b1)
        return review.approve_wish(load_actor(reviewer, "staff"), wish.id)
    return build(village, user=wisher)


def run(action, actor, village, where):
    if action == "configure":
        town = village.tree.town_a if where == "in" else village.tree.town_b
        outcome = attempt(lambda: settings.configure_limits(actor, town.id, claim_days=3,
                                                            auto_confirm_days=3))
        assert WishSettings.select().where(WishSettings.town == town.id).exists() == (
            outcome == OK)
        return outcome
    wish = wish_in(village, where, "approved" if action == "take_down" else "submitted")
    before = fresh(wish).status
    if action in ("list_all", "review_queue"):
        queue = "all" if action == "list_all" else "review"
        seen = []
        outcome = attempt(lambda: seen.extend(
            w.id for w in review.staff_wishes_query(actor, queue=queue)))
        return HID if outcome == OK and wish.id not in seen else outcome
    calls = {
        "view": lambda: review.get_for_staff(actor, wish.id),
        "approve": lambda: review.approve_wish(actor, wish.id),
        "reject": lambda: review.reject_wish(actor, wish.id, reason="不符合要求"),
        "take_down": lambda: review.take_down_wish(actor, wish.id, reason="不符合要求"),
    }
    outcome = attempt(calls[action])
    if outcome != OK or action == "view":
        assert fresh(wish).status == before
    return outcome


def actor_for(role, village):
    region = getattr(village.tree, GRANTED_AT[role])
    if role == "resident":
        user = make_user(household=region, is_volunteer=True)
        grant(user, "resident", region)
        return load_actor(User.get_by_id(user.id))
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


@pytest.mark.parametrize("role,action,where,expected", CASES,
                         ids=[f"{r}-{a}-{w}" for r, a, w, _ in CASES])
def test_role_may_or_may_not_act_on_wishes_in_and_out_of_scope(village, role, action, where,
                                                                 expected):
    assert run(action, actor_for(role, village), village, where) == expected


def test_the_matrix_covers_every_role():
    assert set(MATRIX) == set(ROLES) == set(GRANTED_AT)


# -- staff of the next grid or village -----------------------------------------------------------

@pytest.mark.parametrize("who", ["other_grid_worker", "other_cadre"])
def test_staff_of_another_grid_or_village_do_not_see_the_wish(village, who):
    wish = submitted(village)
    staff = village.staff(getattr(village, who))
    for call in (lambda: review.get_for_staff(staff, wish.id),
                 lambda: review.approve_wish(staff, wish.id)):
        with pytest.raises(NotFound) as info:
            call()
        assert info.value.code == "wish.not_found"
    assert wish.id not in [w.id for w in review.staff_wishes_query(staff, queue="all")]


# -- residents -----------------------------------------------------------------------------------

def refused(call, code):
    with pytest.raises((Forbidden, NotFound, Unauthorized)) as info:
        call()
    assert info.value.code == code


def test_a_neighbour_sees_a_wish_only_once_it_is_on_the_wall(village):
    wish = submitted(village)
    neighbour = village.actor(village.neighbour)
    refused(lambda: wishes.get_wish(neighbour, wish.id), "wish.not_found")
    review.approve_wish(village.staff(village.cadre), wish.id)
    assert wishes.get_wish(neighbour, wish.id).id == wish.id


@pytest.mark.parametrize("who", ["other_village_volunteer", "visitor_volunteer"])
def test_people_outside_the_village_do_not_see_or_claim_an_approved_wish(village, who):
    wish = approved(village)
    person = village.actor(getattr(village, who))
    refused(lambda: wishes.get_wish(person, wish.id), "wish.not_found")
    refused(lambda: claims.claim_wish(person, wish.id), "wish.not_found")
    refused(lambda: wishes.get_wish(None, wish.id), "wish.not_found")


def test_a_neighbour_who_is_neither_volunteer_nor_party_member_cannot_claim(village):
    wish = approved(village)
    refused(lambda: claims.claim_wish(village.actor(village.neighbour), wish.id),
            "wish.claim_not_allowed")
    assert fresh(wish).status == "approved"


def test_nobody_claims_their_own_wish_even_as_a_volunteer(village):
    User.update(is_volunteer=True).where(User.id == village.wisher.id).execute()
    wish = approved(village)
    refused(lambda: claims.claim_wish(village.actor(village.wisher), wish.id), "wish.own_wish")


def test_a_volunteer_staff_member_living_in_another_village_cannot_claim(village):
    helper = make_user(household=village.tree.household_a2, is_volunteer=True)
    grant(helper, "grid_worker", village.tree.grid_a1)
    wish = approved(village)
    actor = load_actor(User.get_by_id(helper.id))
    assert wishes.get_wish(actor, wish.id).id == wish.id
    refused(lambda: claims.claim_wish(actor, wish.id), "wish.claim_outside_village")


def test_only_the_wisher_confirms_withdraws_or_thanks(village):
    wish = fulfilled(village)
    for person in (village.neighbour, village.volunteer):
        actor = village.actor(person)
        refused(lambda a=actor: wishes.confirm_wish(a, wish.id), "wish.not_wisher")
        refused(lambda a=actor: wishes.withdraw_wish(a, wish.id), "wish.not_wisher")
        refused(lambda a=actor: wishes.thank_claimant(a, wish.id, text="谢谢"),
                "wish.not_wisher")
    assert fresh(wish).status == "fulfilled"


def test_only_the_claimant_releases_or_fulfils(village):
    wish = claimed(village)
    for person in (village.party_member, village.wisher):
        actor = village.actor(person)
        refused(lambda a=actor: claims.release_claim(a, wish.id), "wish.not_claimant")
        refused(lambda a=actor: claims.fulfil_wish(a, wish.id, note="完成"),
                "wish.not_claimant")
    assert fresh(wish).claimant_id == village.volunteer.id


def test_the_wall_needs_a_household_and_a_login(village):
    refused(lambda: wishes.wall_query(village.actor(village.visitor_volunteer)),
            "wish.household_required")
    refused(lambda: wishes.wall_query(None), "auth.required")


def test_a_town_admin_reads_but_does_not_set_another_towns_limits(village):
    admin = village.staff(village.town_admin)
    assert settings.get_limits(admin, village.tree.town_a.id).claim_days == 7
    refused(lambda: settings.get_limits(admin, village.tree.town_b.id), "permission.denied")
    assert Wish.select().count() == 0
