"""A wish from posting to thanks, through the services: each step, what it changes, who is told.

Illegal moves from each state are covered by ``test_transitions.py``; who may act by
``test_access.py``; the clocks by ``test_jobs.py``.
"""

from __future__ import annotations

import pytest

from app.accounts import bindings
from app.audit.models import AuditEntry
from app.clock import frozen
from app.content import WordListChecker
from app.errors import Conflict, Forbidden, InvalidInput
from app.notifications.models import Notification
from app.wishes import claims, describe, review, settings
from app.wishes import services as wishes
from app.wishes.models import WishEvent, WishPointsEvent
from tests.app.wishes.conftest import (
    DAY,
    MONDAY_9AM,
    approved,
    claimed,
    fresh,
    fulfilled,
    submitted,
)


def notices(user, kind):
    return list(Notification.select().where((Notification.recipient_user == user.id)
                                            & (Notification.kind == kind)))


def history(wish):
    return [e.action for e in WishEvent.select().where(WishEvent.wish == wish.id)
            .order_by(WishEvent.id)]


def test_a_resident_posts_a_wish_that_waits_for_staff_review(village):
    wish = submitted(village)
    assert (wish.status, wish.held_for_review) == ("submitted", False)
    assert wish.wisher_name == "张**"
    assert wish.village_id == village.tree.village_a1.id
    assert wish.region_path == village.tree.household_a1.path
    assert history(wish) == ["submit"]
    for reviewer in (village.grid_worker, village.cadre):
        assert len(notices(reviewer, "wish.to_review")) == 1
    assert notices(village.other_cadre, "wish.to_review") == []


def test_the_wall_name_comes_from_the_approved_binding_when_there_is_one(village):
    person = village.actor(village.neighbour)
    binding = bindings.request_binding(person, household_id=village.tree.household_a1.id,
                                       real_name="欧阳娜娜", relation="租户")
    bindings.approve_binding(village.staff(village.grid_worker), binding.id)
    wish = submitted(village, user=village.neighbour)
    assert wish.wisher_name == "欧**"


def test_a_visitor_without_a_household_cannot_post_a_wish(village):
    with pytest.raises(Forbidden) as info:
        submitted(village, user=village.visitor_volunteer)
    assert info.value.code == "wish.household_required"


def test_risky_text_is_refused_and_nothing_is_stored(village):
    with pytest.raises(InvalidInput) as info:
        submitted(village, text="有没有人一起去赌博")
    assert info.value.code == "content.risky"
    assert village.wisher.wishes.count() == 0


def test_text_the_check_holds_is_marked_for_the_reviewer_and_approval_releases_it(village):
    wish = submitted(village, text="想借点钱周转一下", checker=WordListChecker(review=("借",)))
    assert wish.held_for_review is True
    with frozen(MONDAY_9AM):
        review.approve_wish(village.staff(village.cadre), wish.id)
    assert (fresh(wish).status, fresh(wish).held_for_review) == ("approved", False)


@pytest.mark.parametrize("kwargs,code", [
    ({"category": "lottery"}, "wish.bad_category"),
    ({"text": "帮忙"}, "wish.text_too_short"),
    ({"text": "长" * 501}, "wish.text_too_long"),
    ({"deadline": MONDAY_9AM - DAY}, "wish.deadline_in_past"),
    ({"photo_ids": tuple(range(1, 8))}, "wish.too_many_photos"),
])
def test_a_malformed_wish_is_refused(village, kwargs, code):
    with pytest.raises(InvalidInput) as info:
        submitted(village, **kwargs)
    assert info.value.code == code


def test_approval_puts_the_wish_on_the_wall_tells_the_wisher_and_is_audited(village):
    wish = approved(village)
    assert fresh(wish).status == "approved"
    assert len(notices(village.wisher, "wish.approved")) == 1
    entry = AuditEntry.get(AuditEntry.action == "wish.approve")
    assert (entry.object_id, entry.actor_role) == (str(wish.id), "grid_worker")
    assert "张" not in entry.summary


def test_rejection_needs_a_reason_which_the_wisher_is_shown(village):
    wish = submitted(village)
    staff = village.staff(village.cadre)
    with pytest.raises(InvalidInput) as info:
        review.reject_wish(staff, wish.id, reason="  ")
    assert info.value.code == "wish.reason_required"
    review.reject_wish(staff, wish.id, reason="请通过物业报修渠道处理")
    shown = describe.detail(village.actor(village.wisher), fresh(wish))
    assert (shown["status"], shown["review_reason"]) == ("rejected", "请通过物业报修渠道处理")
    assert "请通过物业报修渠道处理" in notices(village.wisher, "wish.rejected")[0].body


def test_a_claim_sets_the_claimant_and_a_due_time_from_the_default_limit(village):
    wish = claimed(village)
    assert (wish.status, wish.claimant_id) == ("claimed", village.volunteer.id)
    assert wish.claimant_name == "李**"
    assert wish.claim_due_at == MONDAY_9AM + 7 * DAY
    assert len(notices(village.wisher, "wish.claimed")) == 1


def test_the_claim_due_time_follows_the_town_setting_and_never_passes_the_deadline(village):
    settings.configure_limits(village.staff(village.town_admin), village.tree.town_a.id,
                              claim_days=3, auto_confirm_days=5)
    assert claimed(village).claim_due_at == MONDAY_9AM + 3 * DAY
    soon = claimed(village, deadline=MONDAY_9AM + DAY)
    assert soon.claim_due_at == MONDAY_9AM + DAY


def test_a_party_member_may_claim_too(village):
    assert claimed(village, by=village.party_member).claimant_id == village.party_member.id


def test_a_claim_after_the_wish_deadline_is_refused(village):
    wish = approved(village, deadline=MONDAY_9AM + DAY)
    with frozen(MONDAY_9AM + 2 * DAY), pytest.raises(Conflict) as info:
        claims.claim_wish(village.actor(village.volunteer), wish.id)
    assert info.value.code == "wish.past_deadline"


def test_the_claimant_gives_the_wish_back_to_the_wall(village):
    wish = claimed(village)
    claims.release_claim(village.actor(village.volunteer), wish.id, reason="临时出差")
    wish = fresh(wish)
    assert (wish.status, wish.claimant_id, wish.claim_due_at) == ("approved", None, None)
    assert len(notices(village.wisher, "wish.released")) == 1
    again = claims.claim_wish(village.actor(village.party_member), wish.id)
    assert again.claimant_id == village.party_member.id


def test_fulfilment_needs_a_note_and_starts_the_confirmation_clock(village):
    wish = claimed(village)
    helper = village.actor(village.volunteer)
    with pytest.raises(InvalidInput) as info:
        claims.fulfil_wish(helper, wish.id, note=" ")
    assert info.value.code == "wish.note_required"
    with frozen(MONDAY_9AM + DAY):
        claims.fulfil_wish(helper, wish.id, note="已经换好新的水龙头")
    wish = fresh(wish)
    assert (wish.status, wish.fulfil_note) == ("fulfilled", "已经换好新的水龙头")
    assert (wish.claim_due_at, wish.confirm_due_at) == (None, MONDAY_9AM + 8 * DAY)
    assert len(notices(village.wisher, "wish.fulfilled")) == 1


def test_the_wisher_confirms_and_the_claimant_earns_one_points_event(village):
    wish = fulfilled(village)
    with frozen(MONDAY_9AM + DAY):
        wishes.confirm_wish(village.actor(village.wisher), wish.id)
    wish = fresh(wish)
    assert (wish.status, wish.auto_confirmed, wish.confirm_due_at) == ("confirmed", False, None)
    event = WishPointsEvent.get()
    assert (event.event_type, event.source_ref, event.beneficiary_user_id, event.region_id,
            event.quantity, event.status) == (
        "wish.fulfilled", f"wish:{wish.id}", village.volunteer.id,
        village.tree.village_a1.id, 1, "pending")
    assert len(notices(village.volunteer, "wish.confirmed")) == 1


def test_the_wisher_thanks_the_claimant_once(village):
    wish = fulfilled(village)
    me = village.actor(village.wisher)
    wishes.confirm_wish(me, wish.id)
    wishes.thank_claimant(me, wish.id, text="谢谢小李，水龙头再也不漏了")
    assert fresh(wish).thanks == "谢谢小李，水龙头再也不漏了"
    assert len(notices(village.volunteer, "wish.thanked")) == 1
    with pytest.raises(Conflict) as info:
        wishes.thank_claimant(me, wish.id, text="再次感谢")
    assert info.value.code == "wish.already_thanked"


def test_held_thanks_are_shown_to_the_two_of_them_but_not_to_neighbours(village):
    wish = fulfilled(village)
    me = village.actor(village.wisher)
    wishes.confirm_wish(me, wish.id)
    wishes.thank_claimant(me, wish.id, text="谢谢，改天请你喝酒",
                          checker=WordListChecker(review=("喝酒",)))
    wish = fresh(wish)
    assert describe.summary(village.actor(village.volunteer), wish)["thanks"]
    assert "thanks" not in describe.summary(village.actor(village.neighbour), wish)


@pytest.mark.parametrize("build", [submitted, approved, claimed])
def test_the_wisher_withdraws_before_fulfilment(village, build):
    wish = build(village)
    wishes.withdraw_wish(village.actor(village.wisher), wish.id, reason="已经自己解决了")
    assert fresh(wish).status == "withdrawn"
    told = notices(village.volunteer, "wish.withdrawn")
    assert len(told) == (1 if build is claimed else 0)


def test_staff_take_a_claimed_wish_down_with_a_reason_and_its_clock_stops(village):
    wish = claimed(village)
    review.take_down_wish(village.staff(village.town_admin), wish.id, reason="内容涉及商业推广")
    wish = fresh(wish)
    assert (wish.status, wish.closed_reason, wish.claim_due_at) == (
        "taken_down", "内容涉及商业推广", None)
    for person in (village.wisher, village.volunteer):
        assert len(notices(person, "wish.taken_down")) == 1
    assert AuditEntry.get(AuditEntry.action == "wish.take_down").actor_role == "town_admin"


def test_the_history_records_every_step_in_order(village):
    wish = fulfilled(village)
    wishes.confirm_wish(village.actor(village.wisher), wish.id)
    assert history(wish) == ["submit", "approve", "claim", "fulfil", "confirm"]
