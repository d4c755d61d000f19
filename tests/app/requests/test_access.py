"""Who may see and do what with requests, through the services: residents, grid workers,
cadres, town admins, the discipline officer, reviewers, and the members of handling units.

Out of reach is ``request.not_found`` (existence is not revealed); in sight but not allowed is
``permission.denied``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.tokens import load_actor
from app.clock import frozen
from app.content import WordListChecker
from app.errors import Forbidden, InvalidInput, NotFound
from app.requests import feedback, handling, jobs, queries, workflow
from app.requests import services as requests
from app.requests.models import Request
from tests.app.requests.conftest import MONDAY_9AM
from tests.factories import grant, make_user

DUE = dt.datetime(2026, 11, 26, 16, 0)
DAY = dt.timedelta(hours=24)


def submit(user, *, category_code="environment", text="楼道里的灯坏了一个星期"):
    with frozen(MONDAY_9AM):
        return requests.submit_request(load_actor(user), type="help",
                                       category_code=category_code, text=text)


def staff(role, region):
    user = make_user(name=role)
    grant(user, role, region)
    return load_actor(user, "staff")


@pytest.fixture
def places(town):
    """One request in each of villages A1, A2 (town A) and B1 (town B)."""
    resident_a2 = make_user(household=town.tree.household_a2, name="陈奶奶")
    grant(resident_a2, "resident", town.tree.household_a2)
    return {"a1": submit(town.resident), "a2": submit(resident_a2),
            "b1": submit(town.outsider)}


def denied(call, code):
    with pytest.raises((NotFound, Forbidden)) as info:
        call()
    assert info.value.code == code


def ids(rows):
    return sorted(r.id for r in rows)


def dispatch(town, request, **kw):
    with frozen(MONDAY_9AM):
        workflow.accept_request(town.actor(town.town_admin), request.id)
        return workflow.dispatch_request(town.actor(town.town_admin), request.id, **kw)


# -- residents ----------------------------------------------------------------------------------

def test_a_resident_sees_their_own_request(town, places):
    mine = requests.get_request(town.actor(town.resident, "miniprogram"), places["a1"].id)
    assert mine.id == places["a1"].id


@pytest.mark.parametrize("who", ["neighbour", "outsider"])
def test_another_resident_gets_not_found_even_in_the_same_household(town, places, who):
    other = town.actor(getattr(town, who), "miniprogram")
    request_id = places["a1"].id
    denied(lambda: requests.get_request(other, request_id), "request.not_found")
    denied(lambda: requests.cancel_request(other, request_id), "request.not_found")
    denied(lambda: requests.reply_to_request(other, request_id, "补充"), "request.not_found")


def test_a_resident_lists_only_their_own_and_followed_requests(town, places):
    neighbour = town.actor(town.neighbour, "miniprogram")
    own = submit(town.neighbour, text="小区门口的垃圾没人清理")
    requests.follow_request(neighbour, places["a1"].id)
    assert ids(requests.my_requests_query(neighbour)) == sorted([own.id, places["a1"].id])
    assert requests.get_request(neighbour, places["a1"].id).id == places["a1"].id
    assert ids(requests.my_requests_query(town.actor(town.outsider, "miniprogram"))) == [
        places["b1"].id]


def test_a_resident_of_another_village_cannot_follow(town, places):
    outsider = town.actor(town.outsider, "miniprogram")
    denied(lambda: requests.follow_request(outsider, places["a1"].id), "request.not_found")


def test_nobody_can_follow_a_request_whose_text_is_held_for_review(town):
    with frozen(MONDAY_9AM):
        held = requests.submit_request(town.actor(town.resident, "miniprogram"), type="help",
                                       category_code="environment", text="物业的事我要去上访",
                                       checker=WordListChecker(review=("上访",)))
    assert held.held_for_review
    neighbour = town.actor(town.neighbour, "miniprogram")
    denied(lambda: requests.follow_request(neighbour, held.id), "request.not_found")
    denied(lambda: requests.get_request(neighbour, held.id), "request.not_found")


def test_a_follower_cannot_act_for_the_submitter(town, places):
    neighbour = town.actor(town.neighbour, "miniprogram")
    requests.follow_request(neighbour, places["a1"].id)
    denied(lambda: requests.cancel_request(neighbour, places["a1"].id), "request.not_found")


def test_a_resident_cannot_act_as_staff(town, places):
    resident = town.actor(town.resident, "miniprogram")
    denied(lambda: workflow.accept_request(resident, places["a1"].id), "permission.denied")
    denied(lambda: requests.get_request(resident, places["b1"].id), "request.not_found")
    with pytest.raises(Forbidden):
        queries.queue_query(resident, "all")


def test_the_public_timeline_hides_internal_entries_from_residents(town, places):
    request = dispatch(town, places["a1"])
    grid = town.actor(town.grid_worker)
    with frozen(MONDAY_9AM):
        handling.add_note(grid, request.id, note="已联系物业电工", public=True)
        handling.add_note(grid, request.id, note="物业经理态度不配合", public=False)
        handling.flag_hard(town.actor(town.cadre), request.id, reason="物业长期不作为")
    jobs.escalate_due(now=DUE - DAY)  # the reminder is internal too
    resident = town.actor(town.resident, "miniprogram")
    seen = requests.timeline_for(resident, requests.get_request(resident, request.id))
    assert all(entry.public for entry in seen)
    assert "已联系物业电工" in [e.note for e in seen]
    assert "物业经理态度不配合" not in [e.note for e in seen]
    staff_view = requests.timeline_for(grid, request)
    assert len(staff_view) == len(seen) + 3


# -- grid workers, cadres, town admins --------------------------------------------------------

def test_a_grid_worker_accepts_and_dispatches_in_their_grid(town, places):
    grid = town.actor(town.grid_worker)
    with frozen(MONDAY_9AM):
        workflow.accept_request(grid, places["a1"].id)
        request = workflow.dispatch_request(grid, places["a1"].id)
    assert request.status == "dispatched"


@pytest.mark.parametrize("place", ["a2", "b1"])
@pytest.mark.parametrize("role", ["grid_worker", "cadre"])
def test_grid_worker_and_cadre_of_a1_cannot_reach_other_villages(town, places, role, place):
    actor = town.actor(getattr(town, role))
    request_id = places[place].id
    denied(lambda: requests.get_request(actor, request_id), "request.not_found")
    denied(lambda: workflow.accept_request(actor, request_id), "request.not_found")
    denied(lambda: workflow.dispatch_request(actor, request_id), "request.not_found")


def test_a_cadre_acts_in_their_village(town, places):
    cadre = town.actor(town.cadre)
    with frozen(MONDAY_9AM):
        assert workflow.accept_request(cadre, places["a1"].id).status == "accepted"


def test_a_town_admin_acts_in_both_villages_of_their_town_but_not_the_next_town(town, places):
    admin = town.actor(town.town_admin)
    with frozen(MONDAY_9AM):
        for place in ("a1", "a2"):
            assert workflow.accept_request(admin, places[place].id).status == "accepted"
    denied(lambda: workflow.accept_request(admin, places["b1"].id), "request.not_found")


def test_a_grid_worker_may_not_decide_extensions_or_release_held_text(town, places):
    grid = town.actor(town.grid_worker)
    denied(lambda: workflow.release_review(grid, places["a1"].id, approve=True),
           "permission.denied")
    denied(lambda: handling.flag_hard(grid, places["a1"].id, reason="难"), "permission.denied")


# -- the discipline officer and reviewers -------------------------------------------------------

def test_the_discipline_officer_cannot_accept_or_dispatch(town, places):
    officer = town.actor(town.discipline)
    denied(lambda: workflow.accept_request(officer, places["a1"].id), "request.not_found")
    denied(lambda: workflow.dispatch_request(officer, places["a1"].id), "request.not_found")
    with pytest.raises(Forbidden):
        queries.queue_query(officer, "all")


def to_joint(town, request):
    """Flag ``request`` as a hard case and let the ladder climb to 联合督办."""
    with frozen(MONDAY_9AM):
        handling.flag_hard(town.actor(town.cadre), request.id, reason="涉及多个部门")
    for at in (DUE - DAY, DUE, DUE + DAY, DUE + DAY):
        jobs.escalate_due(now=at)
    return Request.get_by_id(request.id)


def test_the_discipline_officer_sees_joint_supervision_in_their_town_only(town, places):
    request = dispatch(town, places["a1"])
    officer = town.actor(town.discipline)
    assert ids(queries.queue_query(officer, "joint")) == []
    assert to_joint(town, request).escalation_level == 4
    assert requests.get_request(officer, request.id).id == request.id
    assert ids(queries.queue_query(officer, "joint")) == [request.id]
    denied(lambda: workflow.transfer_request(officer, request.id, unit_id=town.dept_unit.id,
                                             reason="换单位"), "permission.denied")
    other_town = staff("discipline_officer", town.tree.town_b)
    assert ids(queries.queue_query(other_town, "joint")) == []
    denied(lambda: requests.get_request(other_town, request.id), "request.not_found")


def test_staff_who_read_requests_see_the_joint_queue_of_their_scope(town, places):
    request = to_joint(town, dispatch(town, places["a1"]))
    for user in (town.grid_worker, town.cadre, town.town_admin):
        assert ids(queries.queue_query(town.actor(user), "joint")) == [request.id]
    assert ids(queries.queue_query(staff("cadre", town.tree.village_a2), "joint")) == []


@pytest.mark.parametrize("role", ["finance_panel", "supervision_committee"])
def test_reviewers_see_no_requests(town, places, role):
    reviewer = staff(role, town.tree.village_a1)
    denied(lambda: requests.get_request(reviewer, places["a1"].id), "request.not_found")
    denied(lambda: workflow.accept_request(reviewer, places["a1"].id), "request.not_found")
    for queue in ("all", "to_accept", "to_dispatch", "overdue", "joint"):
        with pytest.raises(Forbidden):
            queries.queue_query(reviewer, queue)
    assert ids(queries.queue_query(reviewer, "mine")) == []


# -- handling units -----------------------------------------------------------------------------

def test_handlers_act_only_on_requests_dispatched_to_their_unit(town, places):
    request = dispatch(town, places["a1"])  # routed to the grid unit
    for user in (town.handler, town.other_handler):
        actor = town.actor(user)
        denied(lambda a=actor: workflow.start_request(a, request.id), "request.not_found")
        denied(lambda a=actor: handling.resolve_request(a, request.id, note="已经处理好了"),
               "request.not_found")
    roads = dispatch(town, submit(town.resident, category_code="roads"))
    with frozen(MONDAY_9AM):
        assert workflow.start_request(town.actor(town.handler), roads.id).status == "in_progress"
    denied(lambda: workflow.start_request(town.actor(town.other_handler), roads.id),
           "request.not_found")


def test_a_unit_that_returned_a_request_can_no_longer_act_on_it(town, places):
    request = dispatch(town, submit(town.resident, category_code="roads"))
    handler = town.actor(town.handler)
    with frozen(MONDAY_9AM):
        workflow.return_request(handler, request.id, clause=1, note="不属于占道经营")
    denied(lambda: workflow.start_request(handler, request.id), "request.not_found")
    denied(lambda: handling.wait_for_resident(handler, request.id, question="哪里？"),
           "request.not_found")


def test_an_assist_unit_adds_notes_but_does_not_lead(town, places):
    request = dispatch(town, places["a1"], assist_unit_ids=(town.dept_unit.id,))
    handler = town.actor(town.handler)
    with frozen(MONDAY_9AM):
        handling.add_note(handler, request.id, note="城管科已到现场查看")
    denied(lambda: workflow.start_request(handler, request.id), "request.not_found")
    assert ids(queries.queue_query(handler, "assisting")) == [request.id]
    assert ids(queries.queue_query(handler, "mine")) == []


def test_the_submitter_alone_rates_and_reopens(town, places):
    request = dispatch(town, places["a1"])
    grid = town.actor(town.grid_worker)
    with frozen(MONDAY_9AM):
        workflow.start_request(grid, request.id)
        handling.resolve_request(grid, request.id, note="已更换楼道灯泡")
    neighbour = town.actor(town.neighbour, "miniprogram")
    requests.follow_request(neighbour, request.id)
    denied(lambda: feedback.rate_request(neighbour, request.id, rating="satisfied"),
           "request.not_found")
    denied(lambda: feedback.reopen_request(grid, request.id, reason="不行"), "request.not_found")


# -- queues -------------------------------------------------------------------------------------

def test_each_role_queue_holds_only_requests_in_its_scope(town, places):
    everyone = sorted(r.id for r in places.values())
    a1, a2, b1 = (places[k].id for k in ("a1", "a2", "b1"))
    assert ids(queries.queue_query(town.actor(town.grid_worker), "all")) == [a1]
    assert ids(queries.queue_query(town.actor(town.grid_worker), "to_accept")) == [a1]
    assert ids(queries.queue_query(town.actor(town.cadre), "to_accept")) == [a1]
    assert ids(queries.queue_query(town.actor(town.town_admin), "to_accept")) == [a1, a2]
    assert ids(queries.queue_query(town.actor(town.sysadmin), "all")) == everyone
    admin_b = staff("town_admin", town.tree.town_b)
    assert ids(queries.queue_query(admin_b, "all")) == [b1]


def test_queues_follow_the_request_through_its_steps(town, places):
    admin = town.actor(town.town_admin)
    a1 = places["a1"].id
    with frozen(MONDAY_9AM):
        workflow.accept_request(admin, a1)
    assert a1 not in ids(queries.queue_query(admin, "to_accept"))
    assert ids(queries.queue_query(admin, "to_dispatch")) == [a1]
    with frozen(MONDAY_9AM):
        workflow.dispatch_request(admin, a1)
    assert ids(queries.queue_query(town.actor(town.grid_worker), "mine")) == [a1]
    assert ids(queries.queue_query(town.actor(town.handler), "mine")) == []
    with frozen(MONDAY_9AM):
        handling.request_extension(town.actor(town.grid_worker), a1, days=1, reason="等配件")
    assert ids(queries.queue_query(town.actor(town.cadre), "extensions")) == [a1]
    with pytest.raises(Forbidden):
        queries.queue_query(town.actor(town.grid_worker), "extensions")


def test_an_unknown_queue_is_invalid(town):
    with pytest.raises(InvalidInput) as info:
        queries.queue_query(town.actor(town.cadre), "everything")
    assert info.value.code == "request.bad_queue"

