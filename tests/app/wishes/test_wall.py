"""The village wall: approved wishes of the caller's village only, newest first, with the
wisher's name masked and nothing that points at a phone or a household."""

from __future__ import annotations

from app.accounts import phone as phones
from app.accounts.models import User
from app.clock import frozen
from app.wishes import describe, review
from app.wishes import services as wishes
from tests.app.wishes.conftest import DAY, MONDAY_9AM, approved, claimed, submitted
from tests.factories import make_user

PRIVATE_KEYS = {"wisher_user_id", "claimant_user_id", "household_id", "village_id",
                "review_reason", "closed_reason", "held_for_review", "claim_due_at",
                "confirm_due_at"}


def wall(actor, status="approved"):
    return list(wishes.wall_query(actor, status=status).order_by(wishes.Wish.id.desc()))


def test_the_wall_shows_approved_wishes_of_the_village_only(village):
    mine = approved(village)
    later = approved(village, text="想找人陪我去医院复查", category="health")
    submitted(village, text="还在审核中的心愿内容")
    elsewhere = make_user(household=village.tree.household_a2, name="陈奶奶")
    other_village = submitted(village, user=elsewhere)
    review.approve_wish(village.staff(village.other_cadre), other_village.id)
    seen = wall(village.actor(village.neighbour))
    assert [w.id for w in seen] == [later.id, mine.id]
    assert other_village.id not in [w.id for w in wall(village.actor(village.volunteer))]


def test_names_on_the_wall_are_masked_and_no_phone_or_household_is_shown(village):
    number = "13812345678"
    User.update(display_name="张阿姨", phone_masked=phones.mask(number)).where(
        User.id == village.wisher.id).execute()
    approved(village)
    neighbour = village.actor(village.neighbour)
    [shown] = describe.summaries(neighbour, wall(neighbour))
    assert shown["wisher_name"] == "张**"
    assert not PRIVATE_KEYS & set(shown)
    rendered = repr(shown)
    for secret in ("张阿姨", number, phones.mask(number), "101室",
                   str(village.tree.household_a1.id)):
        assert secret not in rendered


def test_the_claimed_tab_shows_the_claimant_masked_too(village):
    wish = claimed(village)
    [shown] = describe.summaries(village.actor(village.neighbour),
                                 wall(village.actor(village.neighbour), "claimed"))
    assert (shown["id"], shown["claimant_name"]) == (wish.id, "李**")


def test_an_approved_wish_past_its_deadline_leaves_the_wall(village):
    wish = approved(village, deadline=MONDAY_9AM + DAY)
    neighbour = village.actor(village.neighbour)
    with frozen(MONDAY_9AM):
        assert [w.id for w in wall(neighbour)] == [wish.id]
    with frozen(MONDAY_9AM + 2 * DAY):
        assert wall(neighbour) == []


def test_staff_see_ids_and_reasons_that_neighbours_do_not(village):
    wish = approved(village)
    shown = describe.detail(village.staff(village.grid_worker), wish)
    assert (shown["wisher_user_id"], shown["household_id"]) == (
        village.wisher.id, village.tree.household_a1.id)
    assert "approve" not in shown["allowed_actions"] and "take_down" in shown["allowed_actions"]


def test_the_open_moves_follow_who_is_looking(village):
    wish = approved(village)
    assert describe.actions_for(village.actor(village.volunteer), wish) == ["claim"]
    assert describe.actions_for(village.actor(village.neighbour), wish) == []
    assert describe.actions_for(village.actor(village.wisher), wish) == ["withdraw"]
