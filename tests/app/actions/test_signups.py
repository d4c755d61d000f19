"""Publishing actions and signing up: capacity, the waitlist promoted on a cancellation, the
cancellation deadline, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest

from app.actions import services, signups
from app.actions.models import Action, ActionSignup
from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from tests.app.actions.conftest import NOW, START, publish
from tests.factories import grant, make_user


def resident(village, n):
    user = make_user(household=village.tree.household_a1, name=f"志愿者{n}")
    grant(user, "resident", village.tree.household_a1)
    return village.resident_actor(user)


def test_a_cadre_publishes_an_action_and_it_is_audited(village):
    action = publish(village, skills=["急救", " "])
    assert action.issuer_region_id == village.tree.village_a1.id and action.skills == '["急救"]'
    assert AuditEntry.get(AuditEntry.action == "action.create").object_id == str(action.id)


def test_places_fill_then_the_waitlist_is_promoted_in_order_on_a_cancellation(village):
    action = publish(village, capacity=2)
    people = [resident(village, n) for n in range(4)]
    with frozen(NOW):
        states = [signups.sign_up(p, action.id).status for p in people]
        assert states == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
        assert signups.waitlist_position(signups.my_signup(people[3], action.id)) == 2
        signups.cancel_signup(people[0], action.id)
    assert signups.my_signup(people[2], action.id).status == "confirmed"
    assert signups.my_signup(people[3], action.id).status == "waitlisted"
    assert Action.get_by_id(action.id).taken == 2
    note = Notification.get(Notification.kind == "action.promoted")
    assert note.recipient_user_id == people[2].user_id


def test_signing_up_twice_keeps_one_place(village):
    action = publish(village, capacity=1)
    actor = village.resident_actor(village.resident)
    with frozen(NOW):
        first = signups.sign_up(actor, action.id)
        again = signups.sign_up(actor, action.id)
    assert first.id == again.id and Action.get_by_id(action.id).taken == 1


def test_a_confirmed_place_cannot_be_given_up_after_the_deadline(village):
    action = publish(village, cancel_close_minutes=180)
    actor = village.resident_actor(village.resident)
    with frozen(NOW):
        signups.sign_up(actor, action.id)
    with frozen(START - dt.timedelta(hours=2)), pytest.raises(Conflict) as err:
        signups.cancel_signup(actor, action.id)
    assert err.value.code == "action.cancel_closed"
    with frozen(START - dt.timedelta(hours=4)):
        assert signups.cancel_signup(actor, action.id).status == "cancelled"
        assert Action.get_by_id(action.id).taken == 0
        assert signups.sign_up(actor, action.id).status == "confirmed"  # may come back


def test_residents_outside_the_actions_region_cannot_see_or_join_it(village):
    action = publish(village)
    with frozen(NOW), pytest.raises(NotFound):
        signups.sign_up(village.resident_actor(village.outsider), action.id)
    with frozen(NOW), pytest.raises(NotFound):
        signups.sign_up(village.resident_actor(village.visitor), action.id)


def test_no_sign_up_after_the_start_or_for_a_cancelled_action(village):
    action = publish(village)
    with frozen(START), pytest.raises(Conflict):
        signups.sign_up(village.resident_actor(village.resident), action.id)
    with frozen(NOW):
        services.cancel_action(village.actor(village.cadre), action.id, reason="天气原因")
        with pytest.raises(Conflict):
            signups.sign_up(village.resident_actor(village.neighbour), action.id)


def test_cancelling_an_action_tells_everyone_signed_up(village):
    action = publish(village)
    with frozen(NOW):
        signups.sign_up(village.resident_actor(village.resident), action.id)
        services.cancel_action(village.actor(village.cadre), action.id, reason="暴雨预警")
    assert Notification.get(Notification.kind == "action.cancelled").recipient_user_id == (
        village.resident.id)


def test_raising_capacity_promotes_the_waitlist(village):
    action = publish(village, capacity=1)
    people = [resident(village, n) for n in range(3)]
    with frozen(NOW):
        for person in people:
            signups.sign_up(person, action.id)
        services.update_action(village.actor(village.cadre), action.id, capacity=3)
    assert ActionSignup.select().where(ActionSignup.status == "confirmed").count() == 3
    with frozen(NOW), pytest.raises(InvalidInput):
        services.update_action(village.actor(village.cadre), action.id, capacity=2)


def test_eligible_actions_list_what_a_resident_may_join(village):
    mine = publish(village)
    publish(village, region=village.tree.village_b1, by=village.actor(village.other_cadre))
    with frozen(NOW):
        listed = list(services.eligible_actions(village.resident_actor(village.resident)))
    assert [a.id for a in listed] == [mine.id]


@pytest.mark.parametrize("who,region,error", [
    ("grid_worker", "grid_a1", None), ("grid_worker", "village_a1", Forbidden),
    ("other_cadre", "village_a1", Forbidden), ("resident", "village_a1", Forbidden),
    ("town_admin", "village_a2", None)])
def test_who_may_publish_where(village, who, region, error):
    kind = "miniprogram" if who == "resident" else "staff"
    actor = village.actor(getattr(village, who), kind)
    call = lambda: publish(village, by=actor, region=getattr(village.tree, region))  # noqa: E731
    if error is None:
        assert call().status == "open"
    else:
        with pytest.raises(error):
            call()


def test_an_approved_resident_organiser_publishes_and_manages_their_own_action(village):
    organiser = village.resident_actor(village.neighbour)
    services.approve_organiser(village.actor(village.cadre), user_id=village.neighbour.id,
                               region_id=village.tree.village_a1.id)
    action = publish(village, by=organiser)
    assert action.organiser_id == village.neighbour.id
    with frozen(NOW):
        services.update_action(organiser, action.id, title="清洁家园（二）")
    with pytest.raises(Forbidden):
        publish(village, by=organiser, region=village.tree.village_a2)
    row = services.organisers(village.actor(village.cadre)).get()
    services.revoke_organiser(village.actor(village.cadre), row.id)
    with frozen(NOW), pytest.raises(Forbidden):
        services.update_action(organiser, action.id, title="x")


def test_only_cadres_and_town_admins_approve_organisers(village):
    with pytest.raises(Forbidden):
        services.approve_organiser(village.actor(village.grid_worker),
                                   user_id=village.neighbour.id,
                                   region_id=village.tree.grid_a1.id)


def test_a_points_rule_that_does_not_pay_per_hour_is_refused(village):
    with pytest.raises(InvalidInput) as err:
        publish(village, points_event_type="wish.fulfilled")
    assert err.value.code == "action.bad_points_rule"
