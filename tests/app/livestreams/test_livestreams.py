"""Livestreams: announced to the village's groups before they start (and reminded once),
cancelled with notice, and their minutes and result published as a disclosure that meets the
major-matter obligation."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.disclosures import services as disclosures
from app.disclosures.models import DisclosureDue
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.jobs import DEPENDENCIES, JOBS
from app.livestreams import jobs
from app.livestreams import services as livestreams
from app.notifications.models import Notification
from miniprogram_api.scheduler import JobRunner
from tests.app.supervision.fixtures import DAY, HOUR, MONDAY_9AM

STARTS = MONDAY_9AM + 2 * DAY + 6 * HOUR  # Wednesday 15:00 Shanghai


def scheduled(place, starts_at=STARTS):
    with frozen(MONDAY_9AM):
        return livestreams.schedule_livestream(
            place.staff("cadre"), village_id=place.tree.village_a1.id, matter_type="tender",
            title="村道硬化工程公开招标", link="https://channels.weixin.qq.com/live/abc",
            starts_at=starts_at)


def group_messages():
    return [(n.kind, n.group_key) for n in Notification.select().where(
        Notification.channel == "group").order_by(Notification.id)]


def test_scheduling_announces_to_the_villages_groups_and_owes_a_disclosure(place):
    stream = scheduled(place)
    village = f"village:{place.tree.village_a1.id}"
    assert group_messages() == [("livestream.announce", village)]
    body = Notification.get(Notification.kind == "livestream.announce").body
    assert "2026-11-25 15:00" in body and "https://channels.weixin.qq.com/live/abc" in body
    due = DisclosureDue.get(DisclosureDue.period == f"matter:livestream:{stream.id}")
    assert (due.kind, due.status) == ("affairs", "open")


def test_a_livestream_must_be_announced_well_before_it_starts(place):
    with pytest.raises(InvalidInput) as info:
        scheduled(place, starts_at=MONDAY_9AM + dt.timedelta(minutes=10))
    assert info.value.code == "livestream.too_soon"
    with frozen(MONDAY_9AM), pytest.raises(InvalidInput) as info:
        livestreams.schedule_livestream(
            place.staff("cadre"), village_id=place.tree.village_a1.id, matter_type="tender",
            title="招标", link="http://example.com/live", starts_at=STARTS)
    assert info.value.code == "livestream.bad_link"


def test_the_groups_are_reminded_once_half_an_hour_before(place):
    scheduled(place)
    assert jobs.remind_upcoming(now=STARTS - HOUR) == {"due": 0, "reminded": 0}
    runner = JobRunner(JOBS, {name: object() for name in DEPENDENCIES})
    with frozen(STARTS - dt.timedelta(minutes=20)):
        assert runner.run_once("livestreams.remind") is True
        assert runner.run_once("livestreams.remind") is True
    kinds = [kind for kind, _ in group_messages()]
    assert kinds == ["livestream.announce", "livestream.remind"]


def test_cancelling_tells_the_groups_and_withdraws_the_obligation(place):
    stream = scheduled(place)
    livestreams.cancel_livestream(place.staff("cadre"), stream.id, reason="招标文件需修改")
    assert [kind for kind, _ in group_messages()] == ["livestream.announce", "livestream.cancel"]
    assert DisclosureDue.get().status == "waived"
    assert jobs.remind_upcoming(now=STARTS - dt.timedelta(minutes=10))["due"] == 0


def test_minutes_and_result_become_a_disclosure_that_meets_the_obligation(place):
    stream = scheduled(place)
    with frozen(STARTS - HOUR), pytest.raises(Conflict) as info:
        livestreams.record_result(place.staff("cadre"), stream.id, minutes="纪要",
                                  result="结果")
    assert info.value.code == "livestream.not_started"
    with frozen(STARTS + 2 * HOUR):
        disclosure = livestreams.record_result(
            place.staff("cadre"), stream.id, minutes="到场村民代表 28 人，三家单位投标……",
            result="某某建设有限公司以 18.6 万元中标")
        assert (disclosure.kind, disclosure.category, disclosure.status, disclosure.period,
                disclosure.matter_key) == ("affairs", "decisions", "draft", "2026-11-25",
                                           f"livestream:{stream.id}")
        disclosures.submit_disclosure(place.staff("cadre"), disclosure.id)
        disclosures.approve_disclosure(place.staff("supervision_committee"), disclosure.id)
        disclosures.publish_disclosure(place.staff("cadre"), disclosure.id)
    assert DisclosureDue.get().status == "met"
    with pytest.raises(Conflict):
        livestreams.record_result(place.staff("cadre"), stream.id, minutes="再来", result="再来")


@pytest.mark.parametrize("role", ["grid_worker", "finance_panel", "supervision_committee",
                                  "discipline_officer"])
def test_only_cadres_and_town_admins_schedule(place, role):
    with frozen(MONDAY_9AM), pytest.raises(Forbidden):
        livestreams.schedule_livestream(
            place.staff(role), village_id=place.tree.village_a1.id, matter_type="tender",
            title="招标", link="https://example.com/live", starts_at=STARTS)


def test_livestreams_are_seen_in_scope_and_by_the_villages_residents(place):
    stream = scheduled(place)
    assert [s.id for s in livestreams.resident_query(place.actor(place.resident))] == [stream.id]
    assert list(livestreams.resident_query(place.actor(place.resident_a2))) == []
    with pytest.raises(NotFound):
        livestreams.load_for_staff(place.staff(place.town_admin_b), stream.id)
    assert [s.id for s in livestreams.staff_query(place.staff("discipline_officer"))] == [
        stream.id]
