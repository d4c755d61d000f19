"""The whole closed loop through the services, with time frozen on working days."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.errors import Conflict, InvalidInput, NotFound
from app.requests import feedback, handling, workflow
from app.requests import services as requests
from app.requests.models import Request, TimelineEntry
from tests.app.requests.conftest import MONDAY_9AM


def submit(town, text="楼道里的灯坏了一个星期", **kw):
    kw.setdefault("type", "help")
    kw.setdefault("category_code", "environment")
    return requests.submit_request(town.actor(town.resident, "miniprogram"), text=text, **kw)


def test_the_closed_loop_from_submission_to_closing(town):
    with frozen(MONDAY_9AM):
        request = submit(town)
        assert request.tracking_no == "R20261123-0001"
        assert request.status == "submitted" and request.region_id == town.tree.household_a1.id
        # acceptance within 1 working day: end of Tuesday, Shanghai time
        assert request.accept_deadline == dt.datetime(2026, 11, 24, 16, 0)
        workflow.accept_request(town.actor(town.grid_worker), request.id)
        request = workflow.dispatch_request(town.actor(town.grid_worker), request.id)
        assert request.lead_unit_id == town.grid_unit.id
        # help: 3 working days from dispatch on Monday → end of Thursday
        assert request.resolve_deadline == dt.datetime(2026, 11, 26, 16, 0)
        workflow.start_request(town.actor(town.grid_worker), request.id)
        handling.resolve_request(town.actor(town.grid_worker), request.id, note="已更换楼道灯泡")
        request = feedback.rate_request(town.actor(town.resident, "miniprogram"), request.id,
                                        rating="satisfied")
    assert request.status == "closed" and request.rating == "satisfied"
    actions = [e.action for e in TimelineEntry.select().order_by(TimelineEntry.id)]
    assert actions == ["submit", "accept", "dispatch", "start", "resolve", "rate"]


def test_tracking_numbers_count_up_per_day(town):
    with frozen(MONDAY_9AM):
        first, second = submit(town), submit(town)
    assert (first.tracking_no, second.tracking_no) == ("R20261123-0001", "R20261123-0002")


def test_risky_text_is_rejected_and_nothing_is_written(town):
    with pytest.raises(InvalidInput) as info:
        submit(town, text="有人在楼下聚众赌博")
    assert info.value.code == "content.risky"
    assert Request.select().count() == 0


def test_a_resident_cannot_place_a_request_in_another_village(town):
    with pytest.raises(InvalidInput) as info:
        submit(town, region_id=town.tree.village_b1.id)
    assert info.value.code == "request.location_outside"


def test_dispatch_to_another_unit_than_the_rule_needs_a_reason(town):
    with frozen(MONDAY_9AM):
        request = submit(town)
        workflow.accept_request(town.actor(town.cadre), request.id)
        with pytest.raises(InvalidInput):
            workflow.dispatch_request(town.actor(town.cadre), request.id,
                                      lead_unit_id=town.dept_unit.id)
        request = workflow.dispatch_request(town.actor(town.cadre), request.id,
                                            lead_unit_id=town.dept_unit.id, reason="涉及占道")
    assert request.lead_unit_id == town.dept_unit.id


def test_a_unit_outside_the_area_cannot_be_chosen(town):
    request = submit(town)
    workflow.accept_request(town.actor(town.cadre), request.id)
    with pytest.raises(InvalidInput) as info:
        workflow.dispatch_request(town.actor(town.cadre), request.id,
                                  lead_unit_id=town.other_unit.id, reason="试试")
    assert info.value.code == "request.unit_out_of_area"


def test_return_cites_a_clause_and_counts_a_hop(town):
    request = submit(town, category_code="roads")
    workflow.accept_request(town.actor(town.cadre), request.id)
    workflow.dispatch_request(town.actor(town.cadre), request.id)
    with pytest.raises(InvalidInput):
        workflow.return_request(town.actor(town.handler), request.id, clause=9, note="不归我们")
    request = workflow.return_request(town.actor(town.handler), request.id, clause=1,
                                      note="不属于占道经营")
    assert request.status == "returned" and request.hop_count == 1
    assert request.lead_unit_id is None


def test_only_the_lead_unit_may_handle(town):
    request = submit(town)
    workflow.accept_request(town.actor(town.cadre), request.id)
    workflow.dispatch_request(town.actor(town.cadre), request.id)
    with pytest.raises(NotFound):
        workflow.start_request(town.actor(town.handler), request.id)


def test_waiting_for_the_resident_pauses_the_clock(town):
    with frozen(MONDAY_9AM):
        request = submit(town)
        workflow.accept_request(town.actor(town.cadre), request.id)
        workflow.dispatch_request(town.actor(town.cadre), request.id)
        workflow.start_request(town.actor(town.grid_worker), request.id)
        handling.wait_for_resident(town.actor(town.grid_worker), request.id, question="几楼？")
    # the resident answers two working days later (Wednesday 09:00)
    with frozen(MONDAY_9AM + dt.timedelta(days=2)):
        request = requests.reply_to_request(town.actor(town.resident, "miniprogram"),
                                            request.id, "三楼")
    assert request.status == "in_progress"
    assert request.resolve_deadline == dt.datetime(2026, 11, 30, 16, 0)  # end of next Monday


def test_extension_must_be_asked_before_the_deadline_and_approved(town):
    with frozen(MONDAY_9AM):
        request = submit(town)
        workflow.accept_request(town.actor(town.cadre), request.id)
        workflow.dispatch_request(town.actor(town.cadre), request.id)
        handling.request_extension(town.actor(town.grid_worker), request.id, days=2,
                                   reason="等待配件")
        with pytest.raises(Conflict):
            handling.request_extension(town.actor(town.grid_worker), request.id, days=1,
                                       reason="再等等")
        request = handling.decide_extension(town.actor(town.cadre), request.id, approve=True)
    assert request.resolve_deadline == dt.datetime(2026, 11, 30, 16, 0)
    with frozen(dt.datetime(2026, 12, 1, 1, 0)):
        with pytest.raises(Conflict) as info:
            handling.request_extension(town.actor(town.grid_worker), request.id, days=1,
                                       reason="太晚了")
    assert info.value.code == "request.extension_too_late"


def test_unsatisfied_resident_may_reopen_once(town):
    request = submit(town)
    workflow.accept_request(town.actor(town.cadre), request.id)
    workflow.dispatch_request(town.actor(town.cadre), request.id)
    workflow.start_request(town.actor(town.grid_worker), request.id)
    handling.resolve_request(town.actor(town.grid_worker), request.id, note="已处理完毕")
    resident = town.actor(town.resident, "miniprogram")
    request = feedback.rate_request(resident, request.id, rating="unsatisfied", reopen=True,
                                    reason="灯还是不亮")
    assert request.status == "reopened" and request.resolve_deadline is None
    workflow.dispatch_request(town.actor(town.cadre), request.id)
    workflow.start_request(town.actor(town.grid_worker), request.id)
    handling.resolve_request(town.actor(town.grid_worker), request.id, note="已更换线路")
    with pytest.raises(Conflict) as info:
        feedback.reopen_request(resident, request.id, reason="还是不行")
    assert info.value.code == "request.reopen_limit"


def test_no_rating_after_seven_days_is_never_satisfied(town):
    with frozen(MONDAY_9AM):
        request = submit(town)
        workflow.accept_request(town.actor(town.cadre), request.id)
        workflow.dispatch_request(town.actor(town.cadre), request.id)
        workflow.start_request(town.actor(town.grid_worker), request.id)
        handling.resolve_request(town.actor(town.grid_worker), request.id, note="已处理完毕")
    assert not feedback.expire_rating(request.id, MONDAY_9AM + dt.timedelta(days=6))
    assert feedback.expire_rating(request.id, MONDAY_9AM + dt.timedelta(days=7))
    request = Request.get_by_id(request.id)
    assert request.status == "closed" and request.rating == "none"


def test_cancel_only_before_acceptance(town):
    resident = town.actor(town.resident, "miniprogram")
    request = submit(town)
    workflow.accept_request(town.actor(town.cadre), request.id)
    with pytest.raises(Conflict) as info:
        requests.cancel_request(resident, request.id)
    assert info.value.code == "request.illegal_transition"


def test_merge_makes_the_duplicate_submitter_a_follower(town):
    original = submit(town)
    duplicate = requests.submit_request(town.actor(town.neighbour, "miniprogram"),
                                        type="help", category_code="environment",
                                        text="楼道灯坏了好几天")
    handling.merge_request(town.actor(town.cadre), duplicate.id, into_id=original.id)
    neighbour = town.actor(town.neighbour, "miniprogram")
    assert requests.get_request(neighbour, original.id).id == original.id
    assert Request.get_by_id(duplicate.id).status == "merged_duplicate"


def test_mediation_codes_move_only_along_the_ladder(town):
    request = submit(town, type="mediation", category_code="neighbour",
                     text="楼上漏水和邻居谈不拢")
    assert request.mediation_code == "yellow"
    workflow.accept_request(town.actor(town.cadre), request.id)
    with pytest.raises(Conflict):
        handling.set_mediation_code(town.actor(town.cadre), request.id, code="red")
    request = handling.set_mediation_code(town.actor(town.cadre), request.id, code="orange")
    request = handling.set_mediation_code(town.actor(town.cadre), request.id, code="green")
    assert request.mediation_code == "green"


def test_residents_are_offered_only_their_own_moves(town):
    request = submit(town)
    resident = town.actor(town.resident, "miniprogram")
    assert requests.actions_for(resident, request) == ["cancel"]
    staff_moves = requests.actions_for(town.actor(town.cadre), request)
    assert "accept" in staff_moves and "cancel" in staff_moves
    assert requests.actions_for(town.actor(town.outsider, "miniprogram"), request) == []


def test_a_return_drops_an_extension_the_next_unit_never_asked_for(town):
    request = submit(town, category_code="roads")
    workflow.accept_request(town.actor(town.cadre), request.id)
    workflow.dispatch_request(town.actor(town.cadre), request.id)
    handling.request_extension(town.actor(town.handler), request.id, days=2, reason="等材料")
    request = workflow.return_request(town.actor(town.handler), request.id, clause=1,
                                      note="不属于占道经营")
    assert request.extension_days_pending is None
    with pytest.raises(Conflict) as info:
        handling.decide_extension(town.actor(town.cadre), request.id, approve=True)
    assert info.value.code == "request.no_extension_pending"
