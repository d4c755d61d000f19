"""The two services the console's request forms added: where staff may enter a request for a
resident (``entry.entry_places``), and merging a duplicate into a request given by its
tracking number (``handling.merge_into_number``)."""

from __future__ import annotations

import pytest

from app.errors import Forbidden, InvalidInput
from app.requests import entry, handling
from app.requests import services as requests
from app.requests.models import Request, RequestFollower, TimelineEntry


def _submit(town, text="楼道里的灯坏了一个星期", user=None):
    return requests.submit_request(town.actor(user or town.resident, "miniprogram"),
                                   type="help", category_code="environment", text=text)


def test_a_grid_worker_may_enter_requests_only_inside_their_grid(town):
    places = entry.entry_places(town.actor(town.grid_worker))
    assert [p.id for p in places] == [town.tree.grid_a1.id, town.tree.building_a1.id]


def test_a_town_admin_is_offered_the_villages_and_grids_of_the_town_but_no_household(town):
    ids = {p.id for p in entry.entry_places(town.actor(town.town_admin))}
    assert {town.tree.village_a1.id, town.tree.grid_a2.id} <= ids
    assert town.tree.village_b1.id not in ids and town.tree.household_a1.id not in ids
    assert town.tree.town_a.id not in ids


def test_a_discipline_officer_may_not_enter_requests(town):
    with pytest.raises(Forbidden):
        entry.entry_places(town.actor(town.discipline))


def test_a_duplicate_is_merged_into_the_request_with_that_tracking_number(town):
    target, duplicate = _submit(town), _submit(town, "一楼楼道的灯也不亮了", town.neighbour)
    merged = handling.merge_into_number(town.actor(town.grid_worker), duplicate.id,
                                        tracking_no=f" {target.tracking_no.lower()} ",
                                        note="同一盏灯")
    assert merged.status == "merged_duplicate" and merged.merged_into_id == target.id
    assert RequestFollower.select().where((RequestFollower.request == target.id)
                                          & (RequestFollower.user == town.neighbour.id)).exists()


def test_an_unknown_or_unreadable_number_reads_the_same_and_merges_nothing(town):
    duplicate = _submit(town)
    outside = requests.submit_request(town.actor(town.outsider, "miniprogram"), type="help",
                                      category_code="environment", text="城东的路灯坏了很久")
    messages = set()
    for number in ("R20000101-9999", outside.tracking_no, ""):
        with pytest.raises(InvalidInput) as info:
            handling.merge_into_number(town.actor(town.grid_worker), duplicate.id,
                                       tracking_no=number)
        assert info.value.code == "request.merge_target_unknown"
        messages.add(info.value.message)
    assert len(messages) == 1
    assert Request.get_by_id(duplicate.id).status == "submitted"
    assert not TimelineEntry.select().where(TimelineEntry.action == "merge").exists()


def test_merging_needs_the_merge_permission_first(town):
    target, duplicate = _submit(town), _submit(town, "一楼楼道的灯也不亮了")
    with pytest.raises(Forbidden):
        handling.merge_into_number(town.actor(town.discipline), duplicate.id,
                                   tracking_no=target.tracking_no)
    assert Request.get_by_id(duplicate.id).status == "submitted"
