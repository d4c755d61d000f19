"""Properties of the deadline maths over random calendars, starts and spans (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.rules import DAY_SECONDS, WorkingCalendar, day_end_utc, local_day

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)
instants = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 6, 30))
spans = st.integers(min_value=0, max_value=25)


@st.composite
def calendars(draw) -> WorkingCalendar:
    rest = draw(st.frozensets(days, max_size=40))
    worked = draw(st.frozensets(days, max_size=10)) - rest
    return WorkingCalendar(rest, worked, frozenset({2025}))


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, instants, spans)
def test_deadline_is_monotonic_in_the_start(cal, a, b, n):
    a, b = sorted((a, b))
    assert cal.deadline_after(a, n) <= cal.deadline_after(b, n)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, spans, spans)
def test_deadline_is_monotonic_in_the_working_days(cal, start, n, m):
    n, m = sorted((n, m))
    assert start < cal.deadline_after(start, n) <= cal.deadline_after(start, m)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, spans)
def test_a_deadline_ends_a_working_day(cal, start, n):
    deadline = cal.deadline_after(start, n)
    last_day = local_day(deadline - dt.timedelta(microseconds=1))
    assert cal.is_working_day(last_day)
    assert deadline == day_end_utc(last_day)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, st.integers(min_value=1, max_value=25))
def test_working_seconds_up_to_a_deadline_are_n_days_plus_the_rest_of_the_first(cal, start, n):
    first = local_day(start)
    rest_of_first = day_end_utc(first) - start if cal.is_working_day(first) else dt.timedelta(0)
    expected = (dt.timedelta(seconds=n * DAY_SECONDS) + rest_of_first) // dt.timedelta(seconds=1)
    assert cal.working_seconds_between(start, cal.deadline_after(start, n)) == expected


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, st.integers(min_value=0, max_value=20 * DAY_SECONDS))
def test_extending_never_moves_backwards_and_adds_exactly_that_working_time(cal, at, seconds):
    moved = cal.extend_by_working_seconds(at, seconds)
    assert moved >= at
    assert cal.working_seconds_between(at, moved) == seconds


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, st.integers(min_value=1, max_value=15), spans)
def test_an_extension_equals_asking_for_more_days_at_dispatch(cal, start, n, m):
    assert cal.add_working_days(cal.deadline_after(start, n), m) == cal.deadline_after(start,
                                                                                       n + m)


@settings(max_examples=100, deadline=None)
@given(calendars(), instants, instants, instants)
def test_a_pause_never_shortens_a_deadline(cal, deadline, paused, resumed):
    assert cal.shift_for_pause(deadline, paused, resumed) >= deadline
