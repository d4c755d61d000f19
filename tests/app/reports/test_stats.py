"""Statistics: counted only over what the caller may see; small counts suppressed."""

from __future__ import annotations

import pytest

from app.errors import Forbidden
from app.reports import rules, stats


def test_counts_below_five_are_shown_as_less_than_five():
    assert [rules.suppress(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", "5", "12"]


def test_one_report_and_none_look_the_same(world):
    empty = stats.report_stats(world.actor(world.officer), group_by="status")
    world.submit()
    one = stats.report_stats(world.actor(world.officer), group_by="status")
    assert empty == one == {"group_by": "status", "total": "<5", "groups": []}


def test_groups_of_five_or_more_are_shown(world):
    for i in range(6):
        world.submit(client=f"c{i % 3}")
    result = stats.report_stats(world.actor(world.officer), group_by="village")
    assert result["total"] == "6"
    assert result["groups"] == [{"key": str(world.tree.village_a1.id), "name": "东星社区",
                                 "count": "6"}]
    assert stats.report_stats(world.actor(world.officer2), group_by="month")["total"] == "6"


def test_other_towns_and_the_excluded_count_nothing(world):
    for i in range(6):
        world.submit(client=f"c{i % 3}")
    assert stats.report_stats(world.actor(world.other_town_officer))["total"] == "<5"


def test_only_discipline_officers_get_statistics(world):
    for who in ("town_admin", "sysadmin", "accused", "grid_worker"):
        with pytest.raises(Forbidden):
            stats.report_stats(world.actor(getattr(world, who)))
