"""The objection period in calendar days, Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import InvalidInput
from app.notices import rules


def test_five_days_from_a_monday_morning_end_on_saturday_midnight_shanghai():
    published = dt.datetime(2026, 11, 23, 1, 0)  # Monday 09:00 +08:00
    assert rules.period_end(published, 5) == dt.datetime(2026, 11, 28, 16, 0)


def test_a_late_evening_publication_still_counts_its_own_day_as_day_zero():
    published = dt.datetime(2026, 11, 23, 15, 30)  # Monday 23:30 +08:00
    assert rules.period_end(published, 5) == dt.datetime(2026, 11, 28, 16, 0)


def test_weekends_and_holidays_count_calendar_days_are_not_working_days():
    published = dt.datetime(2026, 9, 30, 2, 0)  # the eve of the National Day holiday
    assert rules.period_end(published, 5) == dt.datetime(2026, 10, 5, 16, 0)


@pytest.mark.parametrize("days", [0, 4, 31])
def test_the_period_is_at_least_five_days(days):
    with pytest.raises(InvalidInput):
        rules.check_days(days)
