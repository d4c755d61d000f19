"""The escalation ladder and the clock rules: reminder, 催办, 提级, 联合督办, each step once per
deadline and notified to the right people; pauses and extensions; a pass whose cost follows the
due rows; and exactly-once under two scheduler runs at the same moment.

Times are naive UTC. A help request dispatched on Monday 2026-11-23 09:00 (Shanghai) is due at
the end of Thursday: 2026-11-26 16:00 UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from app.clock import frozen
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from app.requests import feedback, handling, jobs, rules, workflow
from app.requests import services as requests
from app.requests.models import Request, TimelineEntry
from tests.app.requests.conftest import MONDAY_9AM

DUE = dt.datetime(2026, 11, 26, 16, 0)  # end of Thursday, Shanghai
DAY = dt.timedelta(hours=24)
SECOND = dt.timedelta(seconds=1)
ACCEPT_DUE = dt.datetime(2026, 11, 24, 16, 0)  # end of Tuesday: 1 working day after Monday


def submit(town, *, type="help", category_code="roads", user=None, at=MONDAY_9AM):
    with frozen(at):
        return requests.submit_request(town.actor(user or town.resident, "miniprogram"),
                                       type=type, category_code=category_code,
                                       text="路口的井盖松动了，很危险")


def dispatched(town, *, type="help", category_code="roads", at=MONDAY_9AM, start=True):
    """A request submitted, accepted and dispatched at ``at`` (roads → the town's 城管科)."""
    request = submit(town, type=type, category_code=category_code, at=at)
    with frozen(at):
        workflow.accept_request(town.actor(town.cadre), request.id)
        workflow.dispatch_request(town.actor(town.cadre), request.id)
        if start:
            handler = town.handler if category_code == "roads" else town.grid_worker
            workflow.start_request(town.actor(handler), request.id)
    return Request.get_by_id(request.id)


def run(at):
    return jobs.escalate_due(now=at)


def steps(request):
    """(level, deadline) of every escalation entry of ``request``, oldest first."""
    found = []
    for entry in (TimelineEntry.select().where(TimelineEntry.request == request.id)
                  .order_by(TimelineEntry.id)):
        details = json.loads(entry.details)
        if "level" in details:
            found.append((details["level"], details["deadline"]))
    return found


def told(request, kind):
    """Users who got a notice of ``kind`` about ``request``."""
    prefix = f"request:{request.id}:"
    return sorted(n.recipient_user_id for n in Notification.select().where(
        Notification.kind == kind) if n.dedupe_key.startswith(prefix))


def ids(*users):
    return sorted(u.id for u in users)


def fresh(request):
    return Request.get_by_id(request.id)


# -- the ladder ---------------------------------------------------------------------------------

def test_nothing_is_due_until_a_day_before_the_deadline(town):
    request = dispatched(town)
    assert request.resolve_deadline == DUE and request.next_due_at == DUE - DAY
    assert run(DUE - DAY - SECOND)["checked"] == 0
    assert fresh(request).escalation_level == rules.LEVEL_NONE and steps(request) == []


def test_a_day_before_the_deadline_the_handling_unit_is_reminded_once(town):
    request = dispatched(town)
    assert run(DUE - DAY) == {"checked": 1, "stepped": 1, "expired": 0}
    assert fresh(request).escalation_level == rules.LEVEL_REMINDED
    assert steps(request) == [(1, DUE.isoformat())]
    assert told(request, "request.due_soon") == ids(town.handler)
    reminder = TimelineEntry.get(TimelineEntry.label == "临期提醒")
    assert not reminder.public  # the resident does not need to read internal reminders


def test_at_the_deadline_the_request_is_urged_and_the_cadre_told(town):
    request = dispatched(town)
    run(DUE - DAY)
    assert run(DUE)["stepped"] == 1
    request = fresh(request)
    assert (request.escalation_level, request.overdue_count) == (rules.LEVEL_URGED, 1)
    assert request.next_due_at == DUE + jobs.sla.ESCALATE_AFTER
    assert told(request, "request.overdue") == ids(town.handler, town.cadre)


def test_a_day_after_the_deadline_it_is_escalated_to_the_town(town):
    request = dispatched(town)
    for at in (DUE - DAY, DUE, DUE + DAY - SECOND, DUE + DAY):
        run(at)
    request = fresh(request)
    assert request.escalation_level == rules.LEVEL_ESCALATED
    assert [level for level, _ in steps(request)] == [1, 2, 3]
    assert told(request, "request.escalated") == ids(town.handler, town.cadre, town.town_admin)
    assert request.next_due_at is None  # not a hard case: nothing more to climb
    assert told(request, "request.joint_supervision") == []


def test_a_flagged_hard_case_goes_to_joint_supervision_with_the_discipline_officer(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.flag_hard(town.actor(town.cadre), request.id, reason="涉及多个部门")
    for at in (DUE - DAY, DUE, DUE + DAY, DUE + DAY):
        run(at)
    request = fresh(request)
    assert request.escalation_level == rules.LEVEL_JOINT and request.next_due_at is None
    assert [level for level, _ in steps(request)] == [1, 2, 3, 4]
    assert told(request, "request.joint_supervision") == ids(
        town.handler, town.cadre, town.town_admin, town.discipline)
    assert run(DUE + 5 * DAY)["checked"] == 0


def test_a_request_overdue_twice_is_a_hard_case(town):
    # nobody accepts in time (overdue once), then the resolution deadline is missed too
    request = submit(town)
    run(ACCEPT_DUE - DAY)
    run(ACCEPT_DUE)
    assert fresh(request).overdue_count == 1
    wednesday = MONDAY_9AM + 2 * DAY
    with frozen(wednesday):
        workflow.accept_request(town.actor(town.cadre), request.id)
        request = workflow.dispatch_request(town.actor(town.cadre), request.id)
    due = request.resolve_deadline
    assert due == dt.datetime(2026, 11, 30, 16, 0) and request.escalation_level == 0
    for at in (due - DAY, due, due + DAY, due + DAY):
        run(at)
    request = fresh(request)
    assert request.overdue_count == 2 and request.escalation_level == rules.LEVEL_JOINT
    assert steps(request) == [(1, ACCEPT_DUE.isoformat()), (2, ACCEPT_DUE.isoformat()),
                              (1, due.isoformat()), (2, due.isoformat()),
                              (3, due.isoformat()), (4, due.isoformat())]


def test_the_discipline_officer_sees_a_request_only_in_joint_supervision(town):
    request = dispatched(town)
    officer = town.actor(town.discipline)
    with frozen(MONDAY_9AM):
        handling.flag_hard(town.actor(town.cadre), request.id, reason="涉及多个部门")
    for at in (DUE - DAY, DUE, DUE + DAY):
        run(at)
    with pytest.raises(NotFound):
        requests.get_request(officer, request.id)
    run(DUE + DAY)
    assert requests.get_request(officer, request.id).id == request.id


def test_each_level_is_one_timeline_entry_however_often_the_pass_runs(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.flag_hard(town.actor(town.cadre), request.id, reason="涉及多个部门")
    for at in (DUE - DAY, DUE - DAY, DUE, DUE, DUE + DAY, DUE + DAY, DUE + DAY, DUE + 2 * DAY):
        run(at)
    levels = [level for level, _ in steps(request)]
    assert levels == [1, 2, 3, 4]
    for kind in ("request.due_soon", "request.overdue", "request.escalated",
                 "request.joint_supervision"):
        recipients = told(request, kind)
        assert len(recipients) == len(set(recipients)) > 0


def test_running_the_pass_twice_at_the_same_moment_steps_once(town):
    request = dispatched(town)
    run(DUE - DAY)
    first, second = run(DUE), run(DUE)
    assert (first["stepped"], second["stepped"]) == (1, 0)
    assert second["checked"] == 0  # the row is no longer due: its next look is a day later
    assert [level for level, _ in steps(request)] == [1, 2]


def test_a_late_scheduler_climbs_one_level_per_pass_and_skips_none(town):
    request = dispatched(town)
    late = DUE + 3 * DAY
    for _ in range(5):
        run(late)
    assert [level for level, _ in steps(request)] == [1, 2, 3]
    assert fresh(request).escalation_level == rules.LEVEL_ESCALATED


# -- the acceptance clock -----------------------------------------------------------------------

def test_when_nobody_accepts_the_grid_worker_and_cadre_are_reminded_and_urged(town):
    request = submit(town)
    assert request.accept_deadline == ACCEPT_DUE and request.next_due_at == ACCEPT_DUE - DAY
    run(ACCEPT_DUE - DAY)
    assert told(request, "request.due_soon") == ids(town.grid_worker, town.cadre)
    run(ACCEPT_DUE)
    assert told(request, "request.overdue") == ids(town.grid_worker, town.cadre)
    run(ACCEPT_DUE + DAY)
    assert told(request, "request.escalated") == ids(town.grid_worker, town.cadre,
                                                     town.town_admin)
    assert steps(request) == [(1, ACCEPT_DUE.isoformat()), (2, ACCEPT_DUE.isoformat()),
                              (3, ACCEPT_DUE.isoformat())]


def test_an_accepted_request_never_dispatched_is_still_held_to_the_acceptance_deadline(town):
    request = submit(town)
    with frozen(MONDAY_9AM):
        workflow.accept_request(town.actor(town.grid_worker), request.id)
    run(ACCEPT_DUE - DAY)
    run(ACCEPT_DUE)
    assert fresh(request).escalation_level == rules.LEVEL_URGED


def test_dispatch_starts_a_new_ladder_for_the_resolution_deadline(town):
    request = submit(town)
    run(ACCEPT_DUE - DAY)
    with frozen(MONDAY_9AM + SECOND):
        workflow.accept_request(town.actor(town.cadre), request.id)
        request = workflow.dispatch_request(town.actor(town.cadre), request.id)
    assert request.escalation_level == 0 and request.next_due_at == DUE - DAY
    run(DUE - DAY)
    assert steps(request) == [(1, ACCEPT_DUE.isoformat()), (1, DUE.isoformat())]


def test_the_resolution_reminder_reaches_a_grid_worker_already_reminded_to_accept(town):
    # an emergency accepted late on Tuesday is due the same evening: the same instant as the
    # acceptance deadline, but a new clock whose reminder the handling grid worker must get
    request = submit(town, type="emergency", category_code="environment")
    reminder_at = ACCEPT_DUE - jobs.sla.REMIND_BEFORE_EMERGENCY
    assert request.next_due_at == reminder_at
    run(reminder_at)
    assert town.grid_worker.id in told(request, "request.due_soon")
    with frozen(reminder_at + dt.timedelta(minutes=30)):
        workflow.accept_request(town.actor(town.cadre), request.id)
        request = workflow.dispatch_request(town.actor(town.cadre), request.id)
    assert request.resolve_deadline == ACCEPT_DUE and request.lead_unit_id == town.grid_unit.id
    run(reminder_at + dt.timedelta(minutes=31))
    assert fresh(request).escalation_level == rules.LEVEL_REMINDED
    reminders = Notification.select().where((Notification.kind == "request.due_soon")
                                            & (Notification.recipient_user == town.grid_worker))
    assert reminders.count() == 2


# -- extensions ---------------------------------------------------------------------------------

def test_an_approved_extension_restarts_the_ladder_for_the_new_deadline(town):
    request = dispatched(town)
    run(DUE - DAY)
    thursday = MONDAY_9AM + 3 * DAY
    with frozen(thursday):
        handling.request_extension(town.actor(town.handler), request.id, days=2,
                                   reason="等待配件到货")
        request = handling.decide_extension(town.actor(town.cadre), request.id, approve=True)
    new_due = dt.datetime(2026, 11, 30, 16, 0)  # two working days later: end of Monday
    assert request.resolve_deadline == new_due and request.escalation_level == 0
    assert request.next_due_at == new_due - DAY
    assert run(DUE)["checked"] == 0  # the old deadline is no longer urged
    run(new_due - DAY)
    run(new_due)
    assert steps(request) == [(1, DUE.isoformat()), (1, new_due.isoformat()),
                              (2, new_due.isoformat())]
    assert told(request, "request.due_soon") == ids(town.handler, town.handler)


def test_a_rejected_extension_keeps_the_deadline_and_the_ladder(town):
    request = dispatched(town)
    run(DUE - DAY)
    with frozen(MONDAY_9AM + DAY):
        handling.request_extension(town.actor(town.handler), request.id, days=2, reason="等配件")
        request = handling.decide_extension(town.actor(town.cadre), request.id, approve=False)
    assert request.resolve_deadline == DUE and request.escalation_level == rules.LEVEL_REMINDED
    assert request.extension_days_pending is None
    run(DUE)
    assert fresh(request).escalation_level == rules.LEVEL_URGED


def test_an_extension_asked_at_the_deadline_is_too_late(town):
    request = dispatched(town)
    with frozen(DUE - SECOND):
        handling.request_extension(town.actor(town.handler), request.id, days=1, reason="等配件")
        handling.decide_extension(town.actor(town.cadre), request.id, approve=False)
    with frozen(DUE), pytest.raises(Conflict) as info:
        handling.request_extension(town.actor(town.handler), request.id, days=1, reason="等配件")
    assert info.value.code == "request.extension_too_late"


def test_an_extension_is_asked_only_by_the_lead_unit_with_a_reason_and_sane_days(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        with pytest.raises(NotFound):
            handling.request_extension(town.actor(town.grid_worker), request.id, days=1,
                                       reason="等配件")
        for days in (0, handling.MAX_EXTENSION_DAYS + 1):
            with pytest.raises(InvalidInput) as info:
                handling.request_extension(town.actor(town.handler), request.id, days=days,
                                           reason="等配件")
            assert info.value.code == "request.bad_extension"
        with pytest.raises(InvalidInput) as info:
            handling.request_extension(town.actor(town.handler), request.id, days=1, reason=" ")
        assert info.value.code == "request.reason_required"


def test_only_a_cadre_or_town_admin_decides_an_extension(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        with pytest.raises(Conflict) as info:
            handling.decide_extension(town.actor(town.cadre), request.id, approve=True)
        assert info.value.code == "request.no_extension_pending"
        handling.request_extension(town.actor(town.handler), request.id, days=1, reason="等配件")
        with pytest.raises(Forbidden):
            handling.decide_extension(town.actor(town.grid_worker), request.id, approve=True)
        request = handling.decide_extension(town.actor(town.town_admin), request.id,
                                            approve=True)
    assert request.resolve_deadline == dt.datetime(2026, 11, 27, 16, 0)


def test_resolving_drops_a_pending_extension(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.request_extension(town.actor(town.handler), request.id, days=1, reason="等配件")
        request = handling.resolve_request(town.actor(town.handler), request.id,
                                           note="井盖已经固定好了")
    assert request.extension_days_pending is None


# -- pauses -------------------------------------------------------------------------------------

def test_waiting_for_the_resident_has_nothing_due(town):
    request = dispatched(town)
    run(DUE - DAY)
    with frozen(DUE - DAY + SECOND):
        request = handling.wait_for_resident(town.actor(town.handler), request.id,
                                             question="请问是哪个路口？")
    assert request.next_due_at is None
    assert run(DUE + 10 * DAY)["checked"] == 0
    assert fresh(request).escalation_level == rules.LEVEL_REMINDED


def test_a_reply_gives_back_the_working_time_spent_waiting_and_the_ladder_goes_on(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.wait_for_resident(town.actor(town.handler), request.id, question="哪个路口？")
    with frozen(MONDAY_9AM + 2 * DAY):
        request = requests.reply_to_request(town.actor(town.resident, "miniprogram"),
                                            request.id, "学府路口")
    new_due = dt.datetime(2026, 11, 30, 16, 0)
    assert request.resolve_deadline == new_due and request.next_due_at == new_due - DAY
    assert run(DUE)["checked"] == 0
    run(new_due - DAY)
    assert steps(request) == [(1, new_due.isoformat())]


def test_a_pause_over_a_weekend_gives_back_no_time(town):
    request = dispatched(town)
    saturday, sunday = dt.datetime(2026, 11, 28, 1, 0), dt.datetime(2026, 11, 29, 1, 0)
    with frozen(saturday):
        handling.wait_for_resident(town.actor(town.handler), request.id, question="哪个路口？")
    with frozen(sunday):
        request = handling.resume_request(town.actor(town.handler), request.id, note="电话联系上")
    assert request.resolve_deadline == DUE and request.status == "in_progress"


def test_an_extension_approved_during_a_pause_waits_for_the_resume(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.request_extension(town.actor(town.handler), request.id, days=2, reason="等配件")
        handling.wait_for_resident(town.actor(town.handler), request.id, question="哪个路口？")
        request = handling.decide_extension(town.actor(town.cadre), request.id, approve=True)
    assert request.status == "waiting_for_resident"
    assert request.resolve_deadline == dt.datetime(2026, 11, 30, 16, 0)
    assert request.next_due_at is None
    with frozen(MONDAY_9AM + DAY):  # one working day of waiting comes back on resume
        request = handling.resume_request(town.actor(town.handler), request.id)
    assert request.resolve_deadline == dt.datetime(2026, 12, 1, 16, 0)


# -- rating window, reopening -------------------------------------------------------------------

def test_the_pass_closes_a_request_left_unrated_for_seven_days(town):
    request = dispatched(town)
    with frozen(MONDAY_9AM):
        handling.resolve_request(town.actor(town.handler), request.id, note="井盖已经固定好了")
    assert run(MONDAY_9AM + 7 * DAY - SECOND)["checked"] == 0
    assert run(MONDAY_9AM + 7 * DAY) == {"checked": 1, "stepped": 0, "expired": 1}
    request = fresh(request)
    assert (request.status, request.rating) == ("closed", "none")


def test_a_reopened_request_is_reminded_again_in_its_new_round(town):
    # an emergency resolved and reopened on the same evening gets the same deadline instant
    # in its second round: the handler must still be reminded
    request = dispatched(town, type="emergency", category_code="environment")
    assert request.resolve_deadline == dt.datetime(2026, 11, 23, 16, 0)
    reminder_at = request.next_due_at
    run(reminder_at)
    grid, resident = town.actor(town.grid_worker), town.actor(town.resident, "miniprogram")
    with frozen(reminder_at + SECOND):
        handling.resolve_request(grid, request.id, note="已经处理好了")
        feedback.reopen_request(resident, request.id, reason="还是有问题")
        workflow.dispatch_request(town.actor(town.cadre), request.id)
    assert fresh(request).resolve_deadline == dt.datetime(2026, 11, 23, 16, 0)
    run(reminder_at + 2 * SECOND)
    reminders = Notification.select().where((Notification.kind == "request.due_soon")
                                            & (Notification.recipient_user == town.grid_worker))
    assert reminders.count() == 2


# -- cost and concurrency -----------------------------------------------------------------------

class _Counter:
    def __init__(self):
        self.statements = 0


@pytest.fixture
def count_statements(monkeypatch):
    counter = _Counter()
    db = database.obj
    original = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counter.statements += 1
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    return counter


def _clone(request, count):
    """``count`` copies of a service-built request (volume only; each its own number)."""
    row = {f.name: getattr(request, f.name) for f in Request._meta.sorted_fields
           if f.name != "id"}
    Request.insert_many([{**row, "tracking_no": f"R20261123-{9000 - n:04d}"}
                         for n in range(count)]).execute()


def test_a_pass_reads_only_the_due_rows(town, count_statements):
    friday = MONDAY_9AM - 3 * DAY
    due = [submit(town, at=friday) for _ in range(5)]
    _clone(submit(town), 299)  # 300 requests not due until Monday 16:00 UTC
    assert Request.select().count() == 305
    count_statements.statements = 0
    result = run(MONDAY_9AM)
    assert result == {"checked": 5, "stepped": 5, "expired": 0}
    # one select of the due ids, then a bounded number of statements per due row
    assert count_statements.statements <= 1 + 5 * 20
    assert all(fresh(r).escalation_level == rules.LEVEL_REMINDED for r in due)
    assert Request.select().where(Request.escalation_level > 0).count() == 5


def test_two_concurrent_passes_reach_every_level_exactly_once(town, monkeypatch, caplog):
    requests_ = [dispatched(town) for _ in range(6)]
    run(DUE - DAY)
    # Both runs have read the same due ids before either takes its first step.
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    original = jobs._step

    def racing(request_id, now):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return original(request_id, now)

    monkeypatch.setattr(jobs, "_step", racing)
    results, errors = [None, None], []

    def scheduler(slot):
        try:
            with database.connection_context():  # each thread its own connection
                results[slot] = jobs.escalate_due(now=DUE)
        except Exception as exc:  # pragma: no cover - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=scheduler, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and None not in results
    assert [r["checked"] for r in results] == [len(requests_)] * 2
    assert results[0]["stepped"] + results[1]["stepped"] == len(requests_)
    assert "escalation failed" not in caplog.text  # the loser finds the step taken
    for request in requests_:
        assert [level for level, _ in steps(request)] == [1, 2]
        assert told(request, "request.overdue") == ids(town.handler, town.cadre)
        assert fresh(request).overdue_count == 1
