"""Each seal anomaly rule, as a pure function of the use's facts and the calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.seals import rules

MONDAY_10AM = dt.datetime(2026, 11, 23, 2, 0)  # 10:00 Asia/Shanghai
CLEAN = rules.UseFacts(used_at=MONDAY_10AM, applicant_user_id=1, approver_user_id=2,
                       has_power_item=True, requires_notice=True,
                       notice_published_at=MONDAY_10AM - dt.timedelta(days=8),
                       notice_period_ends_at=MONDAY_10AM - dt.timedelta(days=2))


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


def check(**changes) -> list[str]:
    return rules.anomalies(dataclasses.replace(CLEAN, **changes), weekdays)


def test_a_proper_use_has_no_anomaly():
    assert check() == []


def test_no_approver():
    assert check(approver_user_id=None) == ["no_approver"]


def test_the_applicant_approving_themselves():
    assert check(approver_user_id=1) == ["self_approved"]


@pytest.mark.parametrize("local_time", ["07:59", "18:00", "22:30"])
def test_outside_office_hours_on_a_working_day(local_time):
    hour, minute = map(int, local_time.split(":"))
    at = dt.datetime(2026, 11, 23, hour, minute) - dt.timedelta(hours=8)
    assert check(used_at=at) == ["outside_office_hours"]


def test_any_time_on_a_rest_day_is_outside_office_hours():
    saturday_10am = MONDAY_10AM - dt.timedelta(days=2)
    assert check(used_at=saturday_10am) == ["outside_office_hours"]
    assert rules.in_office_hours(MONDAY_10AM, weekdays)


def test_the_calendar_decides_what_a_working_day_is():
    def holiday_monday(day):
        return weekdays(day) and day != dt.date(2026, 11, 23)

    assert rules.anomalies(CLEAN, holiday_monday) == ["outside_office_hours"]


def test_citing_no_power_item():
    assert check(has_power_item=False, requires_notice=False) == ["no_power_item"]


def test_a_matter_requiring_a_notice_with_none_published():
    assert check(notice_published_at=None, notice_period_ends_at=None) == ["notice_missing"]


def test_a_notice_published_only_after_the_use_does_not_count():
    assert check(notice_published_at=MONDAY_10AM + dt.timedelta(hours=1)) == ["notice_missing"]


def test_sealing_before_the_objection_period_ends():
    assert check(notice_period_ends_at=MONDAY_10AM + dt.timedelta(days=1)) == [
        "notice_period_open"]


def test_several_anomalies_are_all_named_in_a_stable_order():
    found = check(approver_user_id=None, used_at=MONDAY_10AM - dt.timedelta(days=1),
                  notice_published_at=None)
    assert found == ["no_approver", "outside_office_hours", "notice_missing"]


def test_phone_and_id_numbers_are_spotted_in_published_text():
    assert rules.has_personal_number("为13812345678开具证明")
    assert rules.has_personal_number("身份证35050019900101123X")
    assert not rules.has_personal_number("2026年第12号文件")
