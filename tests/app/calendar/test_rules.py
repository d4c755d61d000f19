"""Working-day maths on an injected calendar: Spring Festival 2025, makeup days, unknown years.

The data is the official 2025 schedule written out by hand (rest 2025-01-28..02-04, makeup
workdays Sunday 01-26 and Saturday 02-08), so these tests need neither the package nor a
database. Times are written in Asia/Shanghai and converted to naive UTC like stored values.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.calendar.rules import WorkingCalendar, is_overdue, local_day

SPRING_2025 = frozenset(dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8))
MAKEUP_2025 = frozenset({dt.date(2025, 1, 26), dt.date(2025, 2, 8)})


def sh(y, mo, d, h=0, mi=0) -> dt.datetime:
    """A Shanghai wall-clock time as the naive UTC the database stores."""
    return dt.datetime(y, mo, d, h, mi) - dt.timedelta(hours=8)


def end_of(y, mo, d) -> dt.datetime:
    """The stored deadline meaning "by the end of this Shanghai day"."""
    return sh(y, mo, d) + dt.timedelta(days=1)


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar(SPRING_2025, MAKEUP_2025, frozenset({2025}))


def test_festival_days_rest_and_makeup_weekend_days_work(cal):
    assert not cal.is_working_day(dt.date(2025, 1, 28))
    assert not cal.is_working_day(dt.date(2025, 2, 3))  # a Monday inside the festival
    assert cal.is_working_day(dt.date(2025, 1, 26))  # Sunday worked
    assert cal.is_working_day(dt.date(2025, 2, 8))  # Saturday worked
    assert not cal.is_working_day(dt.date(2025, 2, 9))  # an ordinary Sunday
    assert cal.is_working_day(dt.date(2025, 2, 5))


def test_three_working_days_include_the_makeup_saturday(cal):
    # Wednesday 02-05 -> Thu 06, Fri 07, Sat 08 (makeup): due at the end of Saturday.
    assert cal.deadline_after(sh(2025, 2, 5, 10), 3) == end_of(2025, 2, 8)


def test_makeup_sunday_counts_before_the_festival(cal):
    start = sh(2025, 1, 24, 15)  # Friday
    assert cal.deadline_after(start, 1) == end_of(2025, 1, 26)
    assert cal.deadline_after(start, 2) == end_of(2025, 1, 27)
    assert cal.deadline_after(start, 3) == end_of(2025, 2, 5)


def test_spring_festival_does_not_count(cal):
    # Dispatched on Monday 01-27, the last working day before the holiday.
    assert cal.deadline_after(sh(2025, 1, 27, 9), 3) == end_of(2025, 2, 7)


def test_emergency_is_due_the_same_working_day(cal):
    assert cal.deadline_after(sh(2025, 2, 5, 10), 0) == end_of(2025, 2, 5)


def test_emergency_on_a_holiday_is_due_at_the_end_of_the_next_working_day(cal):
    assert cal.deadline_after(sh(2025, 1, 30, 10), 0) == end_of(2025, 2, 5)


def test_a_request_dispatched_on_a_holiday_starts_counting_after_it(cal):
    assert cal.deadline_after(sh(2025, 1, 29, 16), 1) == end_of(2025, 2, 5)
    assert cal.deadline_after(sh(2025, 2, 1, 16), 3) == end_of(2025, 2, 7)


def test_days_are_counted_in_shanghai_not_utc(cal):
    start = dt.datetime(2025, 2, 6, 16, 30)  # UTC Thursday evening = Friday 00:30 in Shanghai
    assert local_day(start) == dt.date(2025, 2, 7)
    assert cal.deadline_after(start, 0) == end_of(2025, 2, 7)
    assert cal.deadline_after(start, 0) == dt.datetime(2025, 2, 7, 16, 0)


def test_negative_working_days_are_refused(cal):
    with pytest.raises(ValueError):
        cal.deadline_after(sh(2025, 2, 5), -1)


def test_an_unknown_future_year_falls_back_to_weekends_without_raising(cal):
    start = sh(2031, 1, 3, 10)  # Friday
    assert cal.deadline_after(start, 1) == end_of(2031, 1, 6)
    assert cal.is_working_day(dt.date(2031, 1, 1))  # no data: New Year's Day is a weekday
    [warning] = cal.warnings_for(local_day(start), dt.date(2031, 1, 6))
    assert warning.code == "calendar.year_unknown" and warning.year == 2031
    assert warning.message == "2031 年的法定节假日尚未录入，按周末和人工维护表计算"


def test_an_unknown_year_uses_the_injected_table_days():
    cal = WorkingCalendar(frozenset({dt.date(2031, 1, 6)}), frozenset({dt.date(2031, 1, 4)}),
                          frozenset({2025}))
    start = sh(2031, 1, 3, 10)  # Friday; Saturday 01-04 worked, Monday 01-06 off
    assert cal.deadline_after(start, 1) == end_of(2031, 1, 4)
    assert cal.deadline_after(start, 2) == end_of(2031, 1, 7)


def test_known_years_give_no_warning_and_a_span_names_each_unknown_year(cal):
    assert cal.warnings_for(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == []
    years = [w.year for w in cal.warnings_for(dt.date(2025, 12, 20), dt.date(2027, 1, 5))]
    assert years == [2026, 2027]


def test_working_seconds_skip_the_festival(cal):
    assert cal.working_seconds_between(sh(2025, 1, 27, 12), sh(2025, 2, 5, 12)) == 86_400


def test_working_seconds_count_the_makeup_saturday(cal):
    # Friday afternoon 12 h + the whole makeup Saturday + Monday morning 12 h; Sunday is off.
    assert cal.working_seconds_between(sh(2025, 2, 7, 12), sh(2025, 2, 10, 12)) == 2 * 86_400


def test_working_seconds_of_an_empty_or_reversed_span_are_zero(cal):
    assert cal.working_seconds_between(sh(2025, 2, 7), sh(2025, 2, 7)) == 0
    assert cal.working_seconds_between(sh(2025, 2, 8), sh(2025, 2, 7)) == 0


def test_a_pause_of_one_working_day_moves_the_deadline_one_working_day(cal):
    deadline = end_of(2025, 2, 7)  # Friday
    moved = cal.shift_for_pause(deadline, sh(2025, 2, 5, 10), sh(2025, 2, 6, 10))
    assert moved == end_of(2025, 2, 8)  # the makeup Saturday


def test_a_pause_over_the_festival_only_gives_back_working_time(cal):
    deadline = end_of(2025, 2, 7)
    moved = cal.shift_for_pause(deadline, sh(2025, 1, 27, 12), sh(2025, 2, 5, 12))
    assert moved == end_of(2025, 2, 8)


def test_a_pause_entirely_on_rest_days_leaves_the_deadline(cal):
    deadline = end_of(2025, 2, 7)
    assert cal.shift_for_pause(deadline, sh(2025, 1, 29), sh(2025, 2, 2)) == deadline


def test_extending_by_working_seconds_skips_rest_days(cal):
    assert cal.extend_by_working_seconds(end_of(2025, 2, 8), 3600) == sh(2025, 2, 10, 1)


def test_an_approved_extension_adds_working_days(cal):
    assert cal.add_working_days(end_of(2025, 2, 7), 2) == end_of(2025, 2, 10)
    assert cal.add_working_days(end_of(2025, 1, 24), 1) == end_of(2025, 1, 26)
    assert cal.add_working_days(end_of(2025, 1, 24), 3) == end_of(2025, 2, 5)


def test_an_extension_of_a_mid_day_deadline_keeps_its_time_of_day(cal):
    assert cal.add_working_days(sh(2025, 2, 6, 1), 1) == sh(2025, 2, 7, 1)


def test_deadlines_never_move_backwards(cal):
    deadline = end_of(2025, 2, 7)
    assert cal.extend_by_working_seconds(deadline, 0) == deadline
    assert cal.add_working_days(deadline, 0) == deadline
    with pytest.raises(ValueError):
        cal.extend_by_working_seconds(deadline, -1)
    with pytest.raises(ValueError):
        cal.add_working_days(deadline, -1)
    assert cal.shift_for_pause(deadline, sh(2025, 2, 6), sh(2025, 2, 5)) == deadline


def test_overdue_from_the_deadline_instant(cal):
    deadline = end_of(2025, 2, 7)
    assert not is_overdue(deadline, deadline - dt.timedelta(seconds=1))
    assert is_overdue(deadline, deadline)
    assert cal.is_overdue(deadline, deadline + dt.timedelta(hours=1))
    assert not is_overdue(None, deadline)


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError):
        WorkingCalendar(frozenset({dt.date(2025, 2, 8)}), frozenset({dt.date(2025, 2, 8)}),
                        frozenset())
