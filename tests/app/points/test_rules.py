"""Pure rules: points per event or per hour, scopes, rule choice, periods, stars, masking."""

from __future__ import annotations

import datetime as dt

import pytest

from app.points import rules


def test_per_hour_points_round_down_and_per_event_points_multiply():
    assert rules.points_for(10, "hour", 59) == 9
    assert rules.points_for(10, "hour", 5) == 0
    assert rules.points_for(5, "event", 3) == 15
    assert rules.points_for(5, "event", 0) == 0


def test_scope_paths_run_from_the_node_up_to_everywhere():
    assert rules.scope_paths("/1/2/7/") == ["/1/2/7/", "/1/2/", "/1/", "/"]


def test_the_most_specific_rule_in_force_wins():
    at = dt.datetime(2026, 5, 1)
    everywhere = rules.RuleVersion(1, "/", 1, dt.datetime(2000, 1, 1), None)
    town = rules.RuleVersion(2, "/1/2/", 3, dt.datetime(2026, 1, 1), None)
    ended = rules.RuleVersion(3, "/1/2/7/", 1, dt.datetime(2026, 1, 1), dt.datetime(2026, 4, 1))
    assert rules.choose_rule([everywhere, town, ended], at) == town
    assert rules.choose_rule([everywhere, town, ended], dt.datetime(2026, 3, 1)) == ended
    assert rules.choose_rule([town], dt.datetime(2025, 1, 1)) is None


def test_periods_are_shanghai_months_and_years():
    assert rules.period_keys(dt.datetime(2026, 12, 31, 16, 30)) == ("all", "2027", "2027-01")


def test_star_levels_count_reached_thresholds():
    assert rules.stars(149, (50, 150, 300)) == 1
    assert rules.next_threshold(149, (50, 150, 300)) == 150
    assert rules.next_threshold(400, (50, 150, 300)) is None
    with pytest.raises(ValueError):
        rules.check_thresholds([10, 10])


def test_ranking_order_breaks_ties_by_earlier_reach_then_account():
    t = dt.datetime(2026, 1, 1)
    assert rules.ahead_of((10, t, 9), (9, t, 1))
    assert rules.ahead_of((10, t, 9), (10, t + dt.timedelta(seconds=1), 1))
    assert rules.ahead_of((10, t, 1), (10, t, 2)) and not rules.ahead_of((10, t, 2), (10, t, 1))


def test_source_references_and_event_types_are_checked():
    assert rules.valid_source_ref("action:12:checkout:user:345")
    assert not rules.valid_source_ref("action 12") and not rules.valid_source_ref("x" * 200)
    assert rules.valid_event_type("wish.fulfilled") and not rules.valid_event_type("Wish")


def test_names_in_rankings_keep_one_character():
    assert rules.mask_name("欧阳娜娜") == "欧**" and rules.mask_name("") == "居民"
