"""Pure working-day maths for request deadlines: no database, no package, data injected.

A :class:`WorkingCalendar` is built from three sets (holidays, makeup working days, the years
whose official schedule is known) and answers "is this a working day?" and "when is the
deadline?". Times go in and out as naive UTC (how the database stores them); days are counted
in Asia/Shanghai. A deadline is an exclusive bound: "by the end of day D" is stored as the
local midnight that starts D+1, so ``now >= deadline`` means overdue.

Working time is counted in whole days: every second of a working day counts, no second of a
rest day does. Pausing (``waiting_for_resident``) and approved extensions only ever move a
deadline later. A year whose schedule is unknown is not an error: it is computed from weekends
plus the injected days, and :meth:`WorkingCalendar.warnings_for` tells staff so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.clock import SHANGHAI

DAY_SECONDS = 86_400
_ONE_DAY = dt.timedelta(days=1)
_ONE_SECOND = dt.timedelta(seconds=1)
YEAR_UNKNOWN = "calendar.year_unknown"


@dataclass(frozen=True)
class CalendarWarning:
    """Something staff should know about the calendar; never raised, only shown."""

    code: str
    year: int
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "year": self.year, "message": self.message}


def year_unknown_warning(year: int) -> CalendarWarning:
    return CalendarWarning(YEAR_UNKNOWN, year,
                           f"{year} 年的法定节假日尚未录入，按周末和人工维护表计算")


def local_day(at_utc: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar day of a naive-UTC instant."""
    return at_utc.replace(tzinfo=dt.UTC).astimezone(SHANGHAI).date()


def day_start_utc(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, as naive UTC."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


def day_end_utc(day: dt.date) -> dt.datetime:
    """The exclusive end of ``day`` (the next local midnight), as naive UTC."""
    return day_start_utc(day + _ONE_DAY)


class WorkingCalendar:
    """Which days are working days, and deadlines counted in them.

    ``holidays`` are rest days (including weekend days inside a festival), ``makeup_workdays``
    are weekend days that are worked (调休); the two must not overlap. ``known_years`` are the
    years whose official schedule was supplied; other years still work, from weekends and
    whatever days were injected, and produce a warning.
    """

    def __init__(self, holidays: Iterable[dt.date] = (),
                 makeup_workdays: Iterable[dt.date] = (),
                 known_years: Iterable[int] = ()):
        self.holidays = frozenset(holidays)
        self.makeup_workdays = frozenset(makeup_workdays)
        self.known_years = frozenset(known_years)
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"days both holiday and workday: {sorted(both)[:3]}")

    def __repr__(self) -> str:
        years = sorted(self.known_years)
        span = f"{years[0]}-{years[-1]}" if years else "none"
        return (f"<WorkingCalendar holidays={len(self.holidays)} "
                f"makeup={len(self.makeup_workdays)} known_years={span}>")

    # -- days -----------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def is_known_year(self, year: int) -> bool:
        return year in self.known_years

    def unknown_years(self, first: dt.date, last: dt.date) -> list[int]:
        """Years touched by ``first..last`` (inclusive, either order) that are not known."""
        lo, hi = sorted((first.year, last.year))
        return [y for y in range(lo, hi + 1) if y not in self.known_years]

    def warnings_for(self, first: dt.date, last: dt.date) -> list[CalendarWarning]:
        """Staff-visible warnings for computing anything over ``first..last``."""
        return [year_unknown_warning(y) for y in self.unknown_years(first, last)]

    def next_working_day(self, day: dt.date, *, include_self: bool = False) -> dt.date:
        """The first working day after ``day`` (or ``day`` itself if allowed and working)."""
        if include_self and self.is_working_day(day):
            return day
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    # -- deadlines ------------------------------------------------------------------------

    def deadline_after(self, start_utc: dt.datetime, working_days: int) -> dt.datetime:
        """The deadline for ``working_days`` working days counted from ``start_utc``.

        0 means "the same day": the end of the start's local day if it is a working day, else
        the end of the next working day. N >= 1 means the end of the N-th working day after
        the start's local day (a rest day never counts, whatever the hour).
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day = local_day(start_utc)
        if working_days == 0:
            return day_end_utc(self.next_working_day(day, include_self=True))
        for _ in range(working_days):
            day = self.next_working_day(day)
        return day_end_utc(day)

    def working_seconds_between(self, start_utc: dt.datetime, end_utc: dt.datetime) -> int:
        """Whole seconds of ``[start, end)`` that fall on working days (0 if end <= start)."""
        if end_utc <= start_utc:
            return 0
        total = dt.timedelta(0)
        day = local_day(start_utc)
        last = local_day(end_utc)
        while day <= last:
            if self.is_working_day(day):
                lo = max(start_utc, day_start_utc(day))
                hi = min(end_utc, day_end_utc(day))
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        return total // _ONE_SECOND

    def extend_by_working_seconds(self, deadline_utc: dt.datetime,
                                  seconds: int) -> dt.datetime:
        """Move ``deadline_utc`` later by ``seconds`` of working time, skipping rest days.

        Used to give back the working time a request spent paused (waiting_for_resident).
        A deadline that is a local midnight means "end of the previous day", so extending it
        by whole days lands on the end of a later working day.
        """
        if seconds < 0:
            raise ValueError("a deadline never moves backwards")
        at = deadline_utc
        remaining = dt.timedelta(seconds=seconds)
        while remaining > dt.timedelta(0):
            day = local_day(at)
            end = day_end_utc(day)
            if self.is_working_day(day):
                available = end - at
                if remaining <= available:
                    at += remaining
                    break
                remaining -= available
            at = end
        return _not_before(at, deadline_utc)

    def add_working_days(self, deadline_utc: dt.datetime, days: int) -> dt.datetime:
        """An approved extension (延期) of ``days`` working days.

        A deadline at the end of day D becomes the end of the ``days``-th working day after D;
        a deadline part-way through a day keeps its time of day.
        """
        if days < 0:
            raise ValueError("a deadline never moves backwards")
        return self.extend_by_working_seconds(deadline_utc, days * DAY_SECONDS)

    def shift_for_pause(self, deadline_utc: dt.datetime, paused_at_utc: dt.datetime,
                        resumed_at_utc: dt.datetime) -> dt.datetime:
        """The deadline after a pause from ``paused_at`` to ``resumed_at`` (working time only)."""
        spent = self.working_seconds_between(paused_at_utc, resumed_at_utc)
        return self.extend_by_working_seconds(deadline_utc, spent)

    @staticmethod
    def is_overdue(deadline_utc: dt.datetime | None, now_utc: dt.datetime) -> bool:
        return is_overdue(deadline_utc, now_utc)


def is_overdue(deadline_utc: dt.datetime | None, now_utc: dt.datetime) -> bool:
    """A deadline is an exclusive bound: at the deadline instant the request is overdue."""
    return deadline_utc is not None and now_utc >= deadline_utc


def _not_before(result: dt.datetime, original: dt.datetime) -> dt.datetime:
    if result < original:  # a broken calendar must fail loudly, never shorten a deadline
        raise AssertionError(f"deadline moved backwards: {original} -> {result}")
    return result
