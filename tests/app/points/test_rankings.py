"""Star levels and rankings: order by points, ties by who reached the total first, then account
id; "my rank" agrees with the top list; months and years in Shanghai time."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.errors import Forbidden, InvalidInput
from app.points import queries, setup
from app.points.awards import reverse_transfer
from app.points.services import record_points_event
from tests.factories import grant, make_user

NOV = dt.datetime(2026, 11, 10, 2, 0)


def earn(village, user, times, ref, at=NOV, region=None):
    with frozen(at):
        return record_points_event("wish.fulfilled", ref, user.id,
                                   (region or village.tree.village_a1).id, quantity=times)


def residents(village, count):
    users = []
    for n in range(count):
        user = make_user(household=village.tree.household_a1, name=f"居民{n}")
        grant(user, "resident", village.tree.household_a1)
        users.append(user)
    return users


def test_ties_rank_the_one_who_reached_the_total_first(village):
    a, b, c = residents(village, 3)
    earn(village, b, 2, "wish:b", NOV)
    earn(village, a, 2, "wish:a", NOV + dt.timedelta(minutes=5))
    earn(village, c, 3, "wish:c", NOV + dt.timedelta(minutes=9))
    with frozen(NOV + dt.timedelta(hours=1)):
        ranking = queries.my_ranking(village.resident_actor(a), scope_level="village",
                                     period_kind="month")
    assert [r.owner_id for r in ranking.rows] == [c.id, b.id, a.id]
    assert [r.rank for r in ranking.rows] == [1, 2, 3]
    assert ranking.mine.rank == 3 and ranking.mine.points == 10


def test_my_rank_below_the_top_list_is_counted_the_same_way(village):
    users = residents(village, 6)
    for n, user in enumerate(users):
        earn(village, user, 1 + n % 3, f"wish:{n}", NOV + dt.timedelta(minutes=n))
    with frozen(NOV + dt.timedelta(hours=1)):
        full = queries.my_ranking(village.resident_actor(users[0]), scope_level="grid",
                                  period_kind="year")
        for user in users:
            from app.points import ledger, rankings

            short = rankings.ranking("grid", village.tree.grid_a1.id, "year", "person",
                                     NOV + dt.timedelta(hours=1),
                                     mine=ledger.find_account("person", user.id), limit=2)
            expected = next(r.rank for r in full.rows if r.owner_id == user.id)
            assert short.mine.rank == expected
    assert [r.points for r in full.rows] == sorted((r.points for r in full.rows), reverse=True)


def test_names_are_masked_for_residents_and_shown_to_staff(village):
    earn(village, village.resident, 1, "wish:1")
    with frozen(NOV):
        mine = queries.my_ranking(village.resident_actor(village.neighbour),
                                  scope_level="village", period_kind="all")
        staff = queries.staff_ranking(village.actor(village.cadre),
                                      region_id=village.tree.village_a1.id, period_kind="all")
    assert mine.rows[0].name == "张**" and staff.rows[0].name == "张阿姨"
    assert mine.mine is None  # the neighbour has earned nothing yet


def test_months_follow_shanghai_time(village):
    earn(village, village.resident, 1, "wish:late", dt.datetime(2026, 10, 31, 17, 0))
    with frozen(dt.datetime(2026, 11, 2)):
        november = queries.my_ranking(village.resident_actor(village.resident),
                                      scope_level="village", period_kind="month")
    assert november.period == "2026-11" and november.mine.points == 5


def test_a_reversal_lowers_the_month_of_the_credit_it_reverses(village):
    event = earn(village, village.resident, 2, "wish:1")
    with frozen(dt.datetime(2026, 12, 5)):
        reverse_transfer(village.actor(village.cadre), event.transfer_id, amount=5,
                         reason="核实有误")
    with frozen(NOV):
        november = queries.my_ranking(village.resident_actor(village.resident),
                                      scope_level="village", period_kind="month")
    assert november.mine.points == 5


def test_household_rankings_and_star_levels(village):
    earn(village, village.resident, 10, "wish:1")  # 50 → household this year 50
    earn(village, village.outsider, 30, "wish:2", region=village.tree.village_b1)
    with frozen(NOV):
        setup.set_star_scheme(village.actor(village.town_admin),
                              region_id=village.tree.town_a.id, account_kind="household",
                              period_kind="year", thresholds=[20, 40, 80])
        ranking = queries.my_ranking(village.resident_actor(village.resident),
                                     scope_level="town", period_kind="year",
                                     account_kind="household")
        mine = queries.my_points(village.resident_actor(village.resident))
    assert [r.owner_id for r in ranking.rows] == [village.tree.household_a1.id]
    assert ranking.rows[0].stars == 2 and ranking.rows[0].name == "1号楼101室"
    assert mine.household.stars == 2 and mine.household.next_threshold == 80
    assert mine.person.stars == 1 and mine.person.earned["all"] == 50


def test_bad_star_thresholds_are_refused(village):
    with pytest.raises(InvalidInput):
        setup.set_star_scheme(village.actor(village.cadre), region_id=village.tree.village_a1.id,
                              account_kind="person", period_kind="all", thresholds=[10, 5])


def test_staff_rankings_outside_scope_are_forbidden(village):
    with pytest.raises(Forbidden):
        queries.staff_ranking(village.actor(village.other_cadre),
                              region_id=village.tree.village_a1.id, period_kind="all")
