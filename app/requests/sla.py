"""Deadlines and the scheduler's next look at a request, from the injected working calendar.

The calendar comes from ``app.calendar.services.load_calendar`` (holidays, makeup working days,
the staff-edited table). Times in and out are naive UTC.
"""

from __future__ import annotations

import datetime as dt

from app.requests import rules
from app.requests.models import Request

REMIND_BEFORE = dt.timedelta(hours=24)
REMIND_BEFORE_EMERGENCY = dt.timedelta(hours=2)
ESCALATE_AFTER = dt.timedelta(hours=24)
RATING_WINDOW = dt.timedelta(days=rules.RATING_WINDOW_DAYS)


def calendar():
    from app.calendar.services import load_calendar

    return load_calendar()


def accept_deadline(start: dt.datetime) -> dt.datetime:
    return calendar().deadline_after(start, rules.DEFAULT_ACCEPT_DAYS)


def resolve_deadline(start: dt.datetime, request_type: str, days: int | None = None) -> dt.datetime:
    limit = days if days is not None else rules.resolve_days(request_type)
    return calendar().deadline_after(start, limit)


def current_deadline(request: Request) -> dt.datetime | None:
    """The deadline the escalation ladder is measured against right now.

    Until the first dispatch that is the acceptance deadline, which covers both 受理 and 分办
    (a request accepted but never dispatched must not fall into the abyss); from dispatch on it
    is the resolution deadline.
    """
    return request.resolve_deadline if current_clock(request) == "resolve" else (
        request.accept_deadline)


def current_clock(request: Request) -> str:
    """Which clock the ladder measures now: ``accept`` until the first dispatch, then
    ``resolve``. With the handling round (``reopen_count``) and the deadline it names one
    ladder: the two clocks, or two rounds, may end at the same instant and each gets its own."""
    if request.resolve_deadline is not None and request.status != "submitted":
        return "resolve"
    return "accept"


def remind_before(request: Request) -> dt.timedelta:
    return REMIND_BEFORE_EMERGENCY if request.type == "emergency" else REMIND_BEFORE


def is_hard(request: Request) -> bool:
    """联合督办 candidates: flagged by staff, overdue more than once, or reopened twice."""
    return request.flagged_hard or request.overdue_count >= 2 or request.reopen_count >= 2


def next_due(request: Request, now: dt.datetime, *, status: str | None = None,
             level: int | None = None) -> dt.datetime | None:
    """Next scheduler look for ``request`` as it will be in ``status`` at ``level``."""
    return rules.next_due_at(
        status=status or request.status, level=request.escalation_level if level is None else level,
        deadline=current_deadline(request), remind_before=remind_before(request),
        escalate_after=ESCALATE_AFTER, hard=is_hard(request), now=now,
        resolved_at=request.resolved_at, rating_window=RATING_WINDOW)


def paused_shift(deadline: dt.datetime, paused_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The deadline pushed by the working time spent waiting for the resident."""
    cal = calendar()
    return cal.extend_by_working_seconds(deadline, cal.working_seconds_between(paused_at, now))


def extended(deadline: dt.datetime, days: int) -> dt.datetime:
    return calendar().add_working_days(deadline, days)
