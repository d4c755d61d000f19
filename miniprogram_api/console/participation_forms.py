"""Reading the form fields of the 微实事 and 议事 pages: dates and times typed in
Asia/Shanghai (stored as naive UTC), money typed in yuan (stored in fen), and the places a
staff member may open a round or a topic in (for the form's select).

Only parsing lives here: an unreadable value comes back as None (or raises ``InvalidInput``
with a Chinese message for money, whose service messages speak of fen) and the service
decides whether what was typed is acceptable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import request

from app.clock import SHANGHAI, to_local, utcnow
from app.errors import Forbidden, InvalidInput, Unauthorized
from app.policy import Actor, require_any_scope
from app.regions.models import Region
from app.supervision.places import scope_condition

LEVEL_NAMES = {"village": "社区(村)", "town": "街道(乡镇)"}


def _utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=SHANGHAI).astimezone(dt.UTC).replace(tzinfo=None)


def form_local_date(name: str) -> dt.datetime | None:
    """``YYYY-MM-DD`` (an ``<input type=date>``) as 00:00 of that day in Asia/Shanghai."""
    raw = (request.form.get(name) or "").strip()
    try:
        return _utc(dt.datetime.strptime(raw, "%Y-%m-%d")) if raw else None
    except ValueError:
        return None


def form_local_datetime(name: str) -> dt.datetime | None:
    """``YYYY-MM-DDTHH:MM`` (an ``<input type=datetime-local>``) in Asia/Shanghai."""
    raw = (request.form.get(name) or "").strip()
    try:
        return _utc(dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M")) if raw else None
    except ValueError:
        return None


def form_day(name: str, label: str) -> dt.date:
    """A calendar day (``<input type=date>``); InvalidInput when missing or unreadable."""
    raw = (request.form.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("console.bad_date", f"请填写{label}") from None


def form_yuan(name: str, label: str) -> int:
    """An amount in yuan (at most two decimals) as fen; InvalidInput when it is no amount."""
    raw = (request.form.get(name) or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(raw)
        exact = value.is_finite() and value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidInput("console.bad_amount", f"请填写{label}（单位：元，最多两位小数）")
    return int(value * 100)


def local_day(days_from_today: int = 0) -> str:
    """A day counted from today in Asia/Shanghai, as ``YYYY-MM-DD`` (form defaults)."""
    return (to_local(utcnow()).date() + dt.timedelta(days=days_from_today)).isoformat()


def local_input_time(value: dt.datetime | None) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def places_for(actor: Actor, action: str) -> list[Region]:
    """Villages and towns inside the actor's scope for ``action`` (the form's choices)."""
    try:
        paths = require_any_scope(actor, action)
    except (Forbidden, Unauthorized):
        return []
    return list(Region.select().where(Region.level.in_(tuple(LEVEL_NAMES))
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(500))
