"""Staff console: the working-day calendar used by request deadlines (``/admin/api/v1``).

Any staff member may read a year's holidays and makeup workdays; town admins and sysadmins
maintain the table that overrides the built-in data (e.g. next year before it is published).
"""

import datetime as dt

from flask import Blueprint

from app.calendar import services as calendar
from app.errors import InvalidInput
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.calendar import (
    CalendarDayInputSchema,
    CalendarDaySchema,
    CalendarYearQuerySchema,
    CalendarYearSchema,
)

bp = Blueprint("calendar", __name__, url_prefix="/admin/api/v1")


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput("calendar.bad_date", "日期格式应为 YYYY-MM-DD") from exc


@endpoint(bp, "/calendar/days", auth="staff", query=CalendarYearQuerySchema,
          response=CalendarYearSchema, summary="某年的节假日与调休上班日（含来源与提醒）",
          errors=("calendar.bad_year",))
def list_days(actor, query):
    return calendar.list_calendar_days(actor, query["year"])


@endpoint(bp, "/calendar/days/<day>", method="PUT", auth="staff", body=CalendarDayInputSchema,
          response=CalendarDaySchema, summary="设置某天为放假或调休上班（覆盖内置数据）",
          errors=("calendar.bad_date", "calendar.bad_kind", "calendar.bad_year",
                  "calendar.bad_name"))
def put_day(actor, day, data):
    return calendar.set_calendar_day(actor, _parse_day(day), data["kind"], data["name"],
                                     data["note"])


@endpoint(bp, "/calendar/days/<day>", method="DELETE", auth="staff",
          summary="删除人工维护的某天，恢复内置数据", errors=("calendar.day_not_found",))
def delete_day(actor, day):
    calendar.delete_calendar_day(actor, _parse_day(day))
    return None
