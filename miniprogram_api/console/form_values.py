"""Form values the supervision pages share: a date-time typed in Asia/Shanghai read as the
naive UTC the services take, and its reverse for an input's value. (Region pickers are in
:mod:`miniprogram_api.console.region_choices`.)

Parsing a form is the edge's work, like a marshmallow schema in the API; no rule lives here.
"""

from __future__ import annotations

import datetime as dt

from flask import request

from app.clock import SHANGHAI, to_local


def form_local_time(name: str) -> dt.datetime | None:
    """``<input type="datetime-local">`` (``2026-11-23T09:00``, Asia/Shanghai) as naive UTC;
    None when empty or not a date-time."""
    raw = (request.form.get(name) or "").strip()
    try:
        local = dt.datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    if local is None or local.tzinfo is not None:
        return None
    return local.replace(tzinfo=SHANGHAI).astimezone(dt.UTC).replace(tzinfo=None)


def local_input_value(value: dt.datetime | None) -> str:
    """A naive-UTC time as the value of a ``datetime-local`` input (Asia/Shanghai)."""
    return to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""
