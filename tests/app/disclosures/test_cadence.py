"""The cadence job with an injected clock: obligations per completed period, overdue exactly
once with the town told, met by publication (also late), major matters due immediately."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.disclosures import cadence, jobs
from app.disclosures.models import DisclosureDue
from app.errors import Forbidden, InvalidInput
from app.jobs import DEPENDENCIES, JOBS
from app.notifications.models import Notification
from app.regions.models import Region
from miniprogram_api.scheduler import JobRunner
from tests.app.disclosures.conftest import published

# Local (Asia/Shanghai) times as naive UTC.
JAN_10_NOON = dt.datetime(2027, 1, 10, 4, 0)     # 2027-01-10 12:00 +08:00
JAN_11_1AM = dt.datetime(2027, 1, 10, 17, 0)     # 2027-01-11 01:00 +08:00: Q4 is overdue
DEC_5 = dt.datetime(2026, 12, 5, 2, 0)


@pytest.fixture(autouse=True)
def villages_since_october(place):
    """The villages exist since the start of Q4 2026, so Q4 is their first full quarter."""
    Region.update(created_at=dt.datetime(2026, 9, 30, 16, 0)).execute()


def dues(village, kind=None):
    query = DisclosureDue.select().where(DisclosureDue.village == village.id)
    if kind:
        query = query.where(DisclosureDue.kind == kind)
    return {d.period: d.status for d in query}


def overdue_notices():
    return list(Notification.select().where(Notification.kind == "disclosure.overdue")
                .order_by(Notification.id))


def test_before_the_grace_period_ends_the_quarter_is_owed_but_not_overdue(place):
    counts = jobs.check_cadence(now=JAN_10_NOON)
    assert counts == {"villages": 3, "overdue": 0}
    assert dues(place.tree.village_a1) == {"2026-Q4": "open"}
    due = DisclosureDue.get(DisclosureDue.village == place.tree.village_a1.id)
    assert due.due_at == dt.datetime(2027, 1, 10, 16, 0)  # 2027-01-11 00:00 Shanghai


def test_a_missing_quarter_becomes_overdue_exactly_once_and_the_town_is_told(place):
    jobs.check_cadence(now=JAN_10_NOON)
    first = jobs.check_cadence(now=JAN_11_1AM)
    assert first["overdue"] == 9  # three villages × three kinds
    assert dues(place.tree.village_a1) == {"2026-Q4": "overdue"}
    told_a1 = {(n.recipient_user_id, n.body) for n in overdue_notices()
               if "东星社区" in n.body}
    assert {user for user, _ in told_a1} == {place.user("town_admin").id,
                                             place.user("discipline_officer").id}
    assert any("2026年第4季度" in body and "2027-01-10" in body for _, body in told_a1)
    before = len(overdue_notices())
    assert jobs.check_cadence(now=JAN_11_1AM + dt.timedelta(hours=5))["overdue"] == 0
    assert len(overdue_notices()) == before


def test_a_disclosure_published_on_time_meets_the_obligation(place):
    with frozen(JAN_10_NOON - dt.timedelta(days=3)):
        item = published(place, kind="party", period="2026-Q4", at=JAN_10_NOON)
    jobs.check_cadence(now=JAN_11_1AM)
    assert dues(place.tree.village_a1, "party") == {"2026-Q4": "met"}
    assert DisclosureDue.get(DisclosureDue.village == place.tree.village_a1.id,
                             DisclosureDue.kind == "party").disclosure_id == item.id
    assert dues(place.tree.village_a1, "affairs") == {"2026-Q4": "overdue"}


def test_publishing_after_the_deadline_settles_it_as_late(place):
    jobs.check_cadence(now=JAN_11_1AM)
    published(place, kind="affairs", period="2026-Q4", at=JAN_11_1AM + dt.timedelta(days=2))
    assert dues(place.tree.village_a1, "affairs") == {"2026-Q4": "met_late"}


def test_monthly_finance_where_configured(place):
    cadence.set_cadence(place.staff("town_admin"), village_id=place.tree.village_a1.id,
                        kind="finance", rhythm="monthly", grace_days=5)
    published(place, kind="finance", period="2026-11", at=DEC_5)
    jobs.check_cadence(now=dt.datetime(2027, 1, 5, 17, 0))  # 2027-01-06 01:00 Shanghai
    assert dues(place.tree.village_a1, "finance") == {"2026-11": "met", "2026-12": "overdue"}
    assert dues(place.tree.village_a2, "finance") == {"2026-Q4": "open"}  # quarterly


def test_a_major_matter_is_due_within_days_and_met_by_its_disclosure(place):
    happened = dt.datetime(2026, 12, 1, 2, 0)
    with frozen(happened):
        cadence.require_matter_disclosure(place.tree.village_a1.id, "livestream:7",
                                          happened_at=happened)
    due = DisclosureDue.get(DisclosureDue.period == "matter:livestream:7")
    assert due.due_at == dt.datetime(2026, 12, 4, 16, 0)  # end of 12-04, Shanghai
    jobs.check_cadence(now=dt.datetime(2026, 12, 4, 1, 0))
    assert DisclosureDue.get_by_id(due.id).status == "open"
    published(place, period="2026-12-01", matter_key="livestream:7",
              at=dt.datetime(2026, 12, 4, 2, 0))
    assert DisclosureDue.get_by_id(due.id).status == "met"


def test_the_scheduler_runs_the_cadence_job_under_a_frozen_clock(place):
    runner = JobRunner(JOBS, {name: object() for name in DEPENDENCIES})
    with frozen(JAN_11_1AM):
        assert runner.run_once("disclosures.cadence") is True
        assert runner.run_once("disclosures.cadence") is True
    assert dues(place.tree.village_a1, "affairs") == {"2026-Q4": "overdue"}
    assert len([n for n in overdue_notices() if "东星社区" in n.body]) == 6


def test_overdue_obligations_are_listed_for_the_town_and_discipline_officers(place):
    jobs.check_cadence(now=JAN_11_1AM)
    for role in ("town_admin", "discipline_officer"):
        rows = list(cadence.dues_query(place.staff(role), status="overdue"))
        assert len(rows) == 6  # villages A1 and A2 of town A
    assert len(list(cadence.dues_query(place.staff("cadre"), status="overdue"))) == 3
    for role in ("grid_worker", "finance_panel"):
        with pytest.raises(Forbidden):
            cadence.dues_query(place.staff(role))


def test_only_a_town_admin_configures_the_rhythm(place):
    for role in ("cadre", "supervision_committee", "discipline_officer"):
        with pytest.raises(Forbidden):
            cadence.set_cadence(place.staff(role), village_id=place.tree.village_a1.id,
                                kind="finance", rhythm="monthly")
    with pytest.raises(Forbidden):
        cadence.set_cadence(place.staff(place.town_admin_b), village_id=place.tree.village_a1.id,
                            kind="finance", rhythm="monthly")
    with pytest.raises(InvalidInput):
        cadence.set_cadence(place.staff("town_admin"), village_id=place.tree.village_a1.id,
                            kind="finance", rhythm="weekly")
    table = cadence.village_cadence(place.staff("cadre"), place.tree.village_a1.id)
    assert [(r.kind, r.rhythm, r.configured) for r in table] == [
        ("affairs", "quarterly", False), ("party", "quarterly", False),
        ("finance", "quarterly", False)]
