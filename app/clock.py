"""Time, injected: store UTC, show and reason in Asia/Shanghai.

Services take ``now`` from :func:`utcnow` so tests can move time with :func:`frozen`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_frozen: list[dt.datetime] = []


def utcnow() -> dt.datetime:
    """Naive UTC now (the database stores naive UTC on both engines)."""
    if _frozen:
        return _frozen[-1]
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextlib.contextmanager
def frozen(at: dt.datetime):
    """Pin :func:`utcnow` to ``at`` (naive UTC) inside the block; used by tests and jobs."""
    _frozen.append(at)
    try:
        yield at
    finally:
        _frozen.pop()


def to_local(value: dt.datetime) -> dt.datetime:
    """A stored naive-UTC time as an aware Asia/Shanghai time."""
    return value.replace(tzinfo=dt.UTC).astimezone(SHANGHAI)


def iso(value: dt.datetime | None) -> str | None:
    """Render a stored time for APIs: ISO 8601 in Asia/Shanghai with offset."""
    return to_local(value).isoformat(timespec="seconds") if value else None
