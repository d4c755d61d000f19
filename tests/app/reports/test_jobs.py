"""Scheduled work: reminders and 催办 on deadlines; destruction after the retention period."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import Conflict
from app.jobs import JOBS
from app.notifications.models import Notification
from app.reports import handling, jobs, rules, services, setup
from app.reports.models import (
    Report,
    ReportAttachment,
    ReportMessage,
    ReportRecipient,
)
from tests.app.reports.conftest import MONDAY_9AM
from tests.factories import grant, make_user


def notices_of(user) -> int:
    return Notification.select().where(Notification.recipient_user == user.id).count()


def test_the_jobs_are_registered():
    ids = {job.id: job for job in JOBS}
    assert ids["reports.escalate"].resolve() is jobs.escalate_due
    assert ids["reports.destroy_expired"].resolve() is jobs.destroy_expired


def test_handlers_are_reminded_then_the_level_above_is_urged_once(world):
    from app.clock import frozen

    with frozen(MONDAY_9AM):
        report = Report.get_by_id(world.submit().report_id)
    deadline = report.stage_deadline
    before = {u.id: notices_of(u) for u in (world.officer, world.district_officer)}
    assert jobs.escalate_due(deadline - dt.timedelta(hours=30))["checked"] == 0
    assert jobs.escalate_due(deadline - dt.timedelta(hours=12))["reminded"] == 1
    assert notices_of(world.officer) == before[world.officer.id] + 1
    assert notices_of(world.district_officer) == before[world.district_officer.id]
    assert jobs.escalate_due(deadline - dt.timedelta(hours=6))["checked"] == 0
    assert jobs.escalate_due(deadline + dt.timedelta(hours=1))["urged"] == 1
    assert notices_of(world.district_officer) == before[world.district_officer.id] + 1
    assert jobs.escalate_due(deadline + dt.timedelta(days=5)) == {
        "checked": 0, "reminded": 0, "urged": 0}
    texts = {n.title for n in Notification.select()}
    assert texts == {"您有新的事项"}
    assert Report.get_by_id(report.id).next_due_at is None


def test_an_overdue_report_skips_straight_to_the_urge(world):
    report = Report.get_by_id(world.submit().report_id)
    assert jobs.escalate_due(report.stage_deadline + dt.timedelta(days=1))["urged"] == 1


def test_a_new_stage_starts_a_new_ladder(world):
    report = Report.get_by_id(world.submit().report_id)
    jobs.escalate_due(report.stage_deadline + dt.timedelta(hours=1))
    actor, token = world.session(world.officer)
    handling.transition_report(actor, report.id, to="accepted", session_token=token)
    fresh = Report.get_by_id(report.id)
    assert fresh.escalation_level == 0
    assert fresh.next_due_at == rules.next_due(0, fresh.stage_deadline)


def _concluded(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    handling.add_note(actor, result.report_id, "内部记录", session_token=token)
    handling.transition_report(actor, result.report_id, to="not_accepted",
                               text="不属于纪检监察受理范围", session_token=token)
    return result, Report.get_by_id(result.report_id)


def test_a_concluded_report_is_destroyed_after_its_retention_period(world):
    result, report = _concluded(world)
    assert jobs.destroy_expired(report.purge_after - dt.timedelta(seconds=1)) == {
        "destroyed": 0}
    assert jobs.destroy_expired(report.purge_after) == {"destroyed": 1}
    gone = Report.get_by_id(report.id)
    assert gone.destroyed_at is not None
    assert (gone.body_cipher, gone.identity_cipher, gone.receipt_sealed_key) == (
        None, None, None)
    for table in (ReportRecipient, ReportMessage, ReportAttachment):
        assert table.select().where(table.report == report.id).count() == 0
    status = services.reporter_status(result.receipt, client="c")
    assert status["destroyed"] and status["messages"] == []
    with pytest.raises(Conflict):
        services.reporter_write(result.receipt, "还在吗", kind="message", client="c")
    assert jobs.destroy_expired(report.purge_after + dt.timedelta(days=1)) == {"destroyed": 0}


def test_the_retention_period_is_configurable_and_told_to_the_reporter(world):
    setup.set_retention(world.actor(world.town_admin), region_id=world.tree.town_a.id,
                        retention_days=90)
    result = world.submit()
    assert result.retention_days == 90
    assert services.reporter_status(result.receipt, client="c")["retention_days"] == 90
    _, report = _concluded(world)
    assert report.purge_after - report.closed_at == dt.timedelta(days=90)


def test_open_reports_are_never_destroyed(world):
    world.submit()
    assert jobs.destroy_expired(MONDAY_9AM + dt.timedelta(days=365 * 40)) == {"destroyed": 0}


def test_retention_outside_its_bounds_is_refused(world):
    from app.errors import InvalidInput

    with pytest.raises(InvalidInput):
        setup.set_retention(world.actor(world.sysadmin), region_id=world.tree.town_a.id,
                            retention_days=3)


def test_a_new_officer_does_not_revive_a_destroyed_report(world):
    result, report = _concluded(world)
    jobs.destroy_expired(report.purge_after)
    newcomer = make_user()
    grant(newcomer, "discipline_officer", world.tree.town_a)
    services.reporter_status(result.receipt, client="c")
    assert ReportRecipient.select().where(ReportRecipient.report == report.id).count() == 0
