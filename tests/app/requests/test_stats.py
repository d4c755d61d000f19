"""Statistics per village, grid, category and month, checked against a hand-built set."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import Forbidden, InvalidInput
from app.requests import setup
from app.requests.stats import request_stats
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import (
    dispatched_at,
    rated,
    resolved_at,
    returned_once,
    submit_at,
)
from tests.factories import grant, make_user

HOUR = dt.timedelta(hours=1)
TUESDAY_9AM = MONDAY_9AM + dt.timedelta(days=1)  # 24 h after dispatch, before the deadline
NEXT_MONDAY_9AM = MONDAY_9AM + dt.timedelta(days=7)  # 168 h after dispatch, past Thursday


@pytest.fixture
def village_a2_resident(town):
    person = make_user(household=town.tree.household_a2, name="赵阿婆")
    grant(person, "resident", town.tree.household_a2)
    return person


@pytest.fixture
def figures(town, village_a2_resident):
    """Village A1 (grid A1, environment): five requests dispatched Monday 09:00 —
    on time + satisfied, on time + basically, late + unsatisfied, late + no rating (returned
    once on the way), and one still open. Village A2 (roads): one on time + satisfied."""
    first = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, first, TUESDAY_9AM), "satisfied", TUESDAY_9AM + HOUR)
    second = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, second, TUESDAY_9AM), "basically", TUESDAY_9AM + HOUR)
    third = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, third, NEXT_MONDAY_9AM), "unsatisfied", NEXT_MONDAY_9AM)
    fourth = returned_once(town, dispatched_at(town, MONDAY_9AM), MONDAY_9AM)
    rated(town, resolved_at(town, fourth, NEXT_MONDAY_9AM), "none",
          NEXT_MONDAY_9AM + dt.timedelta(days=7))
    dispatched_at(town, MONDAY_9AM)
    roads = dispatched_at(town, MONDAY_9AM, resident=village_a2_resident, category="roads",
                          text="村口道路塌了一个坑")
    rated(town, resolved_at(town, roads, TUESDAY_9AM), "satisfied", TUESDAY_9AM + HOUR,
          resident=village_a2_resident)
    return town


def by_key(rows):
    return {row["key"]: row for row in rows}


def test_figures_per_village_follow_the_hand_built_set(figures):
    town = figures
    rows = by_key(request_stats(town.actor(town.town_admin), group_by="village"))
    a1 = rows[town.tree.village_a1.id]
    assert a1["label"] == "东星社区"
    assert (a1["total"], a1["resolved"], a1["on_time"]) == (5, 4, 2)
    assert a1["on_time_rate"] == 0.5
    assert a1["avg_handling_hours"] == pytest.approx((24 + 24 + 168 + 168) / 4)
    assert a1["ratings"] == {"satisfied": 1, "basically": 1, "unsatisfied": 1, "none": 1}
    assert a1["satisfaction_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert (a1["hops"], a1["returned"]) == (1, 1)
    a2 = rows[town.tree.village_a2.id]
    assert (a2["label"], a2["total"], a2["on_time_rate"], a2["satisfaction_rate"]) == (
        "后埔村", 1, 1.0, 1.0)


def test_no_rating_is_never_counted_as_satisfied(town):
    request = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, request, TUESDAY_9AM), "none",
          TUESDAY_9AM + dt.timedelta(days=7))
    [row] = request_stats(town.actor(town.town_admin), group_by="grid")
    assert row["ratings"]["none"] == 1
    assert row["satisfaction_rate"] is None  # nobody answered: no rate, not 100 %


def test_rates_are_none_without_resolved_requests(town):
    submit_at(town, MONDAY_9AM)
    [row] = request_stats(town.actor(town.cadre), group_by="category")
    assert (row["total"], row["resolved"]) == (1, 0)
    assert row["on_time_rate"] is row["avg_handling_hours"] is row["satisfaction_rate"] is None


def test_grid_and_category_groups_are_named(figures):
    town = figures
    grids = by_key(request_stats(town.actor(town.town_admin), group_by="grid"))
    assert grids[town.tree.grid_a1.id]["total"] == 5
    assert grids[town.tree.grid_a1.id]["label"] == "第一网格"
    categories = by_key(request_stats(town.actor(town.town_admin), group_by="category"))
    assert {k: (v["label"], v["total"]) for k, v in categories.items()} == {
        "environment": ("环境卫生", 5), "roads": ("道路交通", 1)}


def test_a_towns_own_category_name_is_used_inside_that_town(figures):
    town = figures
    setup.save_category(town.actor(town.town_admin), town_id=town.tree.town_a.id,
                        code="environment", name="人居环境")
    rows = by_key(request_stats(town.actor(town.town_admin), group_by="category",
                                region_id=town.tree.town_a.id))
    assert rows["environment"]["label"] == "人居环境"


def test_months_are_shanghai_months(town):
    # 2026-10-31 23:00 and 2026-11-01 01:00 in Shanghai
    submit_at(town, dt.datetime(2026, 10, 31, 15, 0))
    submit_at(town, dt.datetime(2026, 10, 31, 17, 0))
    submit_at(town, dt.datetime(2026, 11, 30, 15, 59))  # 23:59 on 30 November
    submit_at(town, dt.datetime(2026, 11, 30, 16, 0))  # 00:00 on 1 December
    rows = request_stats(town.actor(town.town_admin), group_by="month")
    assert [(r["key"], r["label"], r["total"]) for r in rows] == [
        ("2026-10", "2026年10月", 1), ("2026-11", "2026年11月", 2), ("2026-12", "2026年12月", 1)]


def test_the_creation_window_is_half_open(town):
    submit_at(town, dt.datetime(2026, 10, 31, 15, 0))
    submit_at(town, dt.datetime(2026, 10, 31, 16, 0))
    submit_at(town, dt.datetime(2026, 11, 2, 1, 0))
    rows = request_stats(town.actor(town.town_admin), group_by="village",
                         created_from=dt.datetime(2026, 10, 31, 16, 0),
                         created_to=dt.datetime(2026, 11, 2, 1, 0))
    assert [r["total"] for r in rows] == [1]


def test_a_cadre_sees_only_their_village(figures):
    town = figures
    rows = request_stats(town.actor(town.cadre), group_by="village")
    assert [r["key"] for r in rows] == [town.tree.village_a1.id]


def test_discipline_officers_and_sysadmins_may_read_statistics(figures):
    town = figures
    for user in (town.discipline, town.sysadmin):
        rows = request_stats(town.actor(user), group_by="village")
        assert sum(r["total"] for r in rows) == 6


@pytest.mark.parametrize("who", ["grid_worker", "resident", "handler"])
def test_roles_without_the_statistics_permission_are_refused(town, who):
    with pytest.raises(Forbidden):
        request_stats(town.actor(getattr(town, who)), group_by="village")


def test_a_region_outside_the_scope_is_refused(town):
    with pytest.raises(Forbidden):
        request_stats(town.actor(town.town_admin), group_by="village",
                      region_id=town.tree.village_b1.id)


def test_an_unknown_dimension_is_invalid(town):
    with pytest.raises(InvalidInput) as info:
        request_stats(town.actor(town.town_admin), group_by="street")
    assert info.value.code == "request.bad_group_by"
