"""Services of the calendar: build the effective working calendar, and let staff maintain it.

The effective calendar is the chinese-calendar package's schedule for the years it knows, with
the staff table (``calendar_day``) laid over it: a table row always wins. A year neither source
knows still works (weekends plus table rows) and yields a ``calendar.year_unknown`` warning;
the package's ``NotImplementedError`` for such years never escapes this module.

:func:`load_calendar` is cached per process. Every change to the table writes a fresh token to
``calendar_revision`` in the same transaction; a load reads that one row and rebuilds only when
the token differs, so the scheduler and every web worker see an edit on their next call.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar

from app.audit.services import record
from app.calendar.models import KINDS, CalendarDay, CalendarRevision
from app.calendar.policies import CALENDAR_MANAGE, CALENDAR_READ
from app.calendar.rules import WorkingCalendar, local_day
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, Grant, find_grant, require_any_scope

MIN_YEAR, MAX_YEAR = 2000, 2100
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass(frozen=True)
class PackageSchedule:
    """What the chinese-calendar package knows: named rest days, named makeup days, years."""

    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]
    years: frozenset[int]


def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the official schedule of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def _chinese_name(english: str) -> str:
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


@cache
def package_schedule() -> PackageSchedule:
    """The package's data, read once per process (it only changes with a new release)."""
    candidates = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays}
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    years: set[int] = set()
    for year in sorted(candidates):
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        try:
            rest_days = chinese_calendar.get_holidays(first, last, include_weekends=False)
        except NotImplementedError:
            continue
        years.add(year)
        for day in rest_days:
            holidays[day] = _chinese_name(chinese_calendar.holidays[day])
        for day, english in chinese_calendar.workdays.items():
            if day.year == year:
                workdays[day] = _chinese_name(english)
    return PackageSchedule(holidays, workdays, frozenset(years))


# -- the cached effective calendar --------------------------------------------------------------

@dataclass(frozen=True)
class _Cached:
    token: str | None
    calendar: WorkingCalendar


_cached: _Cached | None = None


def _current_token() -> str | None:
    return (CalendarRevision.select(CalendarRevision.token)
            .where(CalendarRevision.id == 1).scalar())


def _build(token: str | None) -> _Cached:
    schedule = package_schedule()
    holidays = set(schedule.holidays)
    workdays = set(schedule.workdays)
    table_years: set[int] = set()
    for day, kind in CalendarDay.select(CalendarDay.day, CalendarDay.kind).tuples():
        if kind == "holiday":
            holidays.add(day)
            workdays.discard(day)
            table_years.add(day.year)  # staff entering a year's holidays vouch for that year
        else:
            workdays.add(day)
            holidays.discard(day)
    return _Cached(token, WorkingCalendar(holidays, workdays, schedule.years | table_years))


def load_calendar(years: Iterable[int] | None = None) -> WorkingCalendar:
    """The effective working calendar (package + staff table), cached per process.

    Any code may call it (it checks no permission and writes nothing); it costs one one-row
    query when the cache is fresh. ``years`` narrows the result to those years' days and
    known-ness (None: everything). Never raises for a year the package does not know.
    """
    global _cached
    token = _current_token()  # read before the rows: a racing edit can only make us rebuild
    cached = _cached
    if cached is None or cached.token != token:
        cached = _cached = _build(token)
    calendar = cached.calendar
    if years is None:
        return calendar
    wanted = frozenset(years)
    return WorkingCalendar({d for d in calendar.holidays if d.year in wanted},
                           {d for d in calendar.makeup_workdays if d.year in wanted},
                           calendar.known_years & wanted)


def clear_cache() -> None:
    """Forget the cached calendar (tests; after restoring a database)."""
    global _cached
    _cached = None


def _bump_revision() -> None:
    token = secrets.token_hex(16)
    (CalendarRevision.insert(id=1, token=token)
     .on_conflict(conflict_target=[CalendarRevision.id],
                  update={CalendarRevision.token: token})
     .execute())


# -- staff maintenance --------------------------------------------------------------------------

def _manager_grant(actor: Actor | None) -> Grant:
    paths = require_any_scope(actor, CALENDAR_MANAGE)
    return find_grant(actor, CALENDAR_MANAGE, paths[0])


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("calendar.bad_year", f"只能维护 {MIN_YEAR}–{MAX_YEAR} 年的日历")


def set_calendar_day(actor: Actor | None, day: dt.date, kind: str, name: str,
                     note: str = "") -> dict:
    """Declare ``day`` a holiday or a makeup workday, overriding the package for that day.

    Callers: town_admin or sysadmin (action ``calendar.manage``). Raises Unauthorized,
    Forbidden, InvalidInput (``calendar.bad_kind``, ``calendar.bad_year``,
    ``calendar.bad_name``). Changes: upserts the ``calendar_day`` row, writes an audit entry
    and a new calendar revision in one transaction, so every process reloads the calendar.
    Returns the day as :func:`list_calendar_days` lists it.
    """
    grant = _manager_grant(actor)
    if kind not in KINDS:
        raise InvalidInput("calendar.bad_kind", "日期类型只能是放假(holiday)或调休上班(workday)")
    _check_year(day.year)
    name, note = (name or "").strip(), (note or "").strip()
    if not name or len(name) > 50 or len(note) > 200:
        raise InvalidInput("calendar.bad_name", "请填写名称（50 字以内），备注不超过 200 字")
    now = utcnow()
    with database.atomic():
        previous = CalendarDay.get_or_none(CalendarDay.day == day)
        (CalendarDay.insert(day=day, kind=kind, name=name, note=note,
                            updated_by=actor.user_id, updated_at=now)
         .on_conflict(conflict_target=[CalendarDay.day],
                      update={CalendarDay.kind: kind, CalendarDay.name: name,
                              CalendarDay.note: note, CalendarDay.updated_by: actor.user_id,
                              CalendarDay.updated_at: now})
         .execute())
        _bump_revision()
        record(actor=actor, grant=grant, action="calendar.set_day", object_type="calendar_day",
               object_id=day.isoformat(), region_path=grant.region_path,
               summary={"kind": kind, "name": name,
                        "previous_kind": previous.kind if previous else None})
        row = CalendarDay.get(CalendarDay.day == day)
    clear_cache()
    return _table_entry(row, package_schedule())


def delete_calendar_day(actor: Actor | None, day: dt.date) -> None:
    """Remove the staff row for ``day``; the package (or the plain weekday rule) applies again.

    Callers: town_admin or sysadmin (``calendar.manage``). Raises Unauthorized, Forbidden,
    NotFound (``calendar.day_not_found``). Changes: deletes the row, writes an audit entry and
    a new calendar revision in one transaction.
    """
    grant = _manager_grant(actor)
    with database.atomic():
        row = CalendarDay.get_or_none(CalendarDay.day == day)
        if row is None:
            raise NotFound("calendar.day_not_found", "人工维护表中没有这一天")
        CalendarDay.delete().where(CalendarDay.id == row.id).execute()
        _bump_revision()
        record(actor=actor, grant=grant, action="calendar.delete_day",
               object_type="calendar_day", object_id=day.isoformat(),
               region_path=grant.region_path,
               summary={"kind": row.kind, "name": row.name})
    clear_cache()


# -- staff reading ------------------------------------------------------------------------------

def _entry(day: dt.date, kind: str, name: str, note: str, source: str, overrides: bool,
           updated_at: dt.datetime | None) -> dict:
    return {"day": day, "weekday": WEEKDAY_NAMES[day.weekday()], "kind": kind, "name": name,
            "note": note, "source": source, "overrides_package": overrides,
            "is_working_day": kind == "workday", "updated_at": updated_at}


def _table_entry(row: CalendarDay, schedule: PackageSchedule) -> dict:
    overrides = row.day in schedule.holidays or row.day in schedule.workdays
    return _entry(row.day, row.kind, row.name, row.note, "table", overrides, row.updated_at)


def calendar_warnings(actor: Actor | None, year: int | None = None) -> list[dict]:
    """Warnings staff should see, for ``year`` or (None) this and next year in Asia/Shanghai.

    Callers: any staff role (``calendar.read``). Raises Unauthorized, Forbidden. Read-only.
    """
    require_any_scope(actor, CALENDAR_READ)
    if year is None:
        this_year = local_day(utcnow()).year
        years = [this_year, this_year + 1]
    else:
        years = [year]
    calendar = load_calendar()
    return [w.as_dict() for y in years
            for w in calendar.warnings_for(dt.date(y, 1, 1), dt.date(y, 12, 31))]


def list_calendar_days(actor: Actor | None, year: int) -> dict:
    """The effective special days of ``year`` (holidays and makeup workdays) with their source.

    Callers: any staff role (``calendar.read``). Raises Unauthorized, Forbidden, InvalidInput
    (``calendar.bad_year``). Read-only. Ordinary weekdays and weekends are not listed.
    """
    require_any_scope(actor, CALENDAR_READ)
    _check_year(year)
    schedule = package_schedule()
    days: dict[dt.date, dict] = {}
    for source_days, kind in ((schedule.holidays, "holiday"), (schedule.workdays, "workday")):
        for day, name in source_days.items():
            if day.year == year:
                days[day] = _entry(day, kind, name, "", "package", False, None)
    rows = CalendarDay.select().where(
        (CalendarDay.day >= dt.date(year, 1, 1)) & (CalendarDay.day <= dt.date(year, 12, 31)))
    for row in rows:
        days[row.day] = _table_entry(row, schedule)
    calendar = load_calendar()
    items = [entry for _, entry in sorted(days.items())]
    return {
        "year": year,
        "known": calendar.is_known_year(year),
        "package_knows": year in schedule.years,
        "days": items,
        "warnings": calendar_warnings(actor, year),
    }
