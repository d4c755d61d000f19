"""Pure rules of the disclosure cadence: which periods must be disclosed, and by when.

村民委员会组织法 §30: ordinary items at least once a quarter; finance monthly where
transactions are frequent (a town configures that per village); major matters immediately.
Every village owes, for each kind, one disclosure per completed period of its rhythm (quarterly
unless configured), due ``grace_days`` calendar days after the period ends (Asia/Shanghai): a
November disclosure with the default 10 days is on time when published by 10 December 24:00.
A period is met by a published disclosure of that village and kind whose period key is exactly
the period's key (``2026-11`` for a month, ``2026-Q4`` for a quarter).

Major matters (a livestreamed decision …) create an obligation keyed ``matter:<matter key>``,
due ``major_days`` calendar days after the matter took place, met by a published disclosure
carrying that matter key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.calendar.rules import day_end_utc, local_day
from app.errors import InvalidInput

RHYTHMS = ("monthly", "quarterly")
RHYTHM_NAMES = {"monthly": "每月", "quarterly": "每季度"}
DEFAULT_RHYTHM = "quarterly"
DEFAULT_GRACE_DAYS = 10
DEFAULT_MAJOR_DAYS = 3
MAX_DAYS = 60
# Periods looked back at by each run: the last completed one, and the one before in case the
# scheduler was down across a period boundary.
LOOKBACK = 2

DUE_STATES = ("open", "met", "overdue", "met_late", "waived")
DUE_STATE_NAMES = {"open": "待公开", "met": "已按时公开", "overdue": "逾期未公开",
                   "met_late": "逾期后已公开", "waived": "已撤销"}


@dataclass(frozen=True)
class Period:
    key: str
    first: dt.date
    last: dt.date


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(f"{year}-{month:02d}", first, following - dt.timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = month_period(year, 3 * quarter).last
    return Period(f"{year}-Q{quarter}", first, last)


def period_containing(day: dt.date, rhythm: str) -> Period:
    if rhythm == "monthly":
        return month_period(day.year, day.month)
    if rhythm == "quarterly":
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    raise ValueError(f"unknown rhythm {rhythm!r}")


def ended_periods(today: dt.date, rhythm: str, count: int = LOOKBACK) -> list[Period]:
    """The ``count`` most recent periods that ended before ``today`` (local), newest first."""
    periods = []
    current = period_containing(today, rhythm)
    for _ in range(count):
        current = period_containing(current.first - dt.timedelta(days=1), rhythm)
        periods.append(current)
    return periods


def due_at(period: Period, grace_days: int) -> dt.datetime:
    """The instant (naive UTC) a period's disclosure becomes overdue."""
    return day_end_utc(period.last + dt.timedelta(days=grace_days))


def matter_key(key: str) -> str:
    """The obligation period key of a major matter."""
    return f"matter:{key}"


def matter_due_at(happened_at: dt.datetime, major_days: int) -> dt.datetime:
    """A major matter's disclosure is due by the end of the ``major_days``-th local day after
    it took place."""
    return day_end_utc(local_day(happened_at) + dt.timedelta(days=major_days))


def is_overdue(due: dt.datetime, now: dt.datetime) -> bool:
    return now >= due


def check_days(value: int, code: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        raise InvalidInput(code, f"天数应在 0 到 {MAX_DAYS} 之间")
    return value


def period_label(key: str) -> str:
    """A period key for people: 2026年11月, 2026年第4季度, or the matter it stands for."""
    if key.startswith("matter:"):
        return "重大事项"
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"{year}年第{quarter}季度"
    parts = key.split("-")
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月"
    if len(parts) == 3:
        return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"
    return f"{key}年"
