"""Versioned rules and pools: a new version ends the one before, the most specific scope wins,
each transfer keeps the version that produced it, and only the right roles configure."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.errors import Conflict, Forbidden, InvalidInput
from app.points import setup
from app.points.models import PointsRule, PointsTransfer
from app.points.services import find_rule, record_points_event

T0 = dt.datetime(2026, 11, 1, 2, 0)


def test_a_new_version_ends_the_previous_one_and_transfers_keep_theirs(village):
    cadre = village.actor(village.cadre)
    with frozen(T0):
        first = setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                               event_type="wish.fulfilled", points=6, unit="event")
        early = record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                                    village.tree.village_a1.id)
    later = T0 + dt.timedelta(days=3)
    with frozen(later):
        second = setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                                event_type="wish.fulfilled", points=9, unit="event")
        late = record_points_event("wish.fulfilled", "wish:2", village.resident.id,
                                   village.tree.village_a1.id)
    assert (first.version, second.version) == (1, 2)
    assert PointsRule.get_by_id(first.id).effective_to == later
    one, two = (PointsTransfer.get_by_id(e.transfer_id) for e in (early, late))
    assert (one.amount, one.rule_version) == (6, 1) and (two.amount, two.rule_version) == (9, 2)


def test_an_event_is_credited_by_the_rule_in_force_when_it_happened(village):
    cadre = village.actor(village.cadre)
    with frozen(T0):
        setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                       event_type="wish.fulfilled", points=6, unit="event")
        setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                       event_type="wish.fulfilled", points=20, unit="event",
                       effective_from=T0 + dt.timedelta(days=10))
    assert find_rule("wish.fulfilled", village.tree.household_a1.path,
                     T0 + dt.timedelta(days=1)).points == 6
    assert find_rule("wish.fulfilled", village.tree.household_a1.path,
                     T0 + dt.timedelta(days=11)).points == 20
    assert find_rule("wish.fulfilled", village.tree.household_b1.path, T0).points == 5


def test_an_ended_rule_gives_way_to_the_rule_above_and_no_rule_makes_events_wait(village):
    rule = find_rule("consultation.comment_accepted", village.tree.village_a1.path, T0)
    with frozen(T0):
        town_rule = setup.set_rule(village.actor(village.town_admin),
                                   region_id=village.tree.town_a.id,
                                   event_type="consultation.comment_accepted", points=3,
                                   unit="event")
        setup.end_rule(village.actor(village.town_admin), town_rule.id, reason="暂停")
        with pytest.raises(Conflict):
            setup.end_rule(village.actor(village.town_admin), town_rule.id)
    with frozen(T0 + dt.timedelta(hours=1)):
        # the town's ended rule no longer applies; the district default still does
        event = record_points_event("consultation.comment_accepted", "consultation:1:c:2",
                                    village.resident.id, village.tree.village_a1.id)
    assert event.status == "credited" and rule.scope_path == "/"
    waiting = record_points_event("cleanup.joined", "cleanup:1:user:1", village.resident.id,
                                  village.tree.village_a1.id)
    assert (waiting.status, waiting.waiting_for) == ("pending", "rule")


def test_a_rule_cannot_start_in_the_past_or_change_the_unit_of_a_known_type(village):
    cadre = village.actor(village.cadre)
    with pytest.raises(InvalidInput):
        setup.set_rule(cadre, region_id=village.tree.village_a1.id, event_type="wish.fulfilled",
                       points=5, unit="event", effective_from=dt.datetime(2020, 1, 1))
    with pytest.raises(InvalidInput):
        setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                       event_type="action.attended", points=5, unit="event")
    custom = setup.set_rule(cadre, region_id=village.tree.village_a1.id,
                            event_type="action.heavy_work", points=15, unit="hour",
                            name="重体力志愿服务")
    assert custom.name == "重体力志愿服务"


@pytest.mark.parametrize("who,region,allowed", [
    ("cadre", "village_a1", True), ("cadre", "town_a", False), ("grid_worker", "village_a1",
                                                                 False),
    ("town_admin", "village_a2", True), ("other_cadre", "village_a1", False),
    ("resident", "village_a1", False)])
def test_who_may_configure_rules(village, who, region, allowed):
    kind = "miniprogram" if who == "resident" else "staff"
    actor = village.actor(getattr(village, who), kind)
    call = lambda: setup.set_rule(actor, region_id=getattr(village.tree, region).id,  # noqa: E731
                                  event_type="wish.fulfilled", points=7, unit="event")
    if allowed:
        assert call().points == 7
    else:
        with pytest.raises(Forbidden):
            call()


def test_opening_a_pool_twice_returns_the_same_pool(village):
    again = setup.open_pool(village.actor(village.cadre), village.tree.village_a1.id)
    assert again.kind == "pool" and again.owner_id == village.tree.village_a1.id
    with pytest.raises(InvalidInput):
        setup.open_pool(village.actor(village.town_admin), village.tree.grid_a1.id)
