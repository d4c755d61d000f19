"""Schemas for the staff-maintained working-day calendar (节假日与调休)."""

from marshmallow import Schema, fields, validate

from app.calendar.models import KINDS
from app.calendar.services import MAX_YEAR, MIN_YEAR
from miniprogram_api.schemas.households import LocalDateTime


class CalendarYearQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(MIN_YEAR, MAX_YEAR),
                          metadata={"description": "公历年份，如 2027"})


class CalendarDayInputSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "holiday 放假；workday 调休上班"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=50),
                         metadata={"description": "节日名称，如 春节"})
    note = fields.String(load_default="", validate=validate.Length(max=200))


class CalendarWarningSchema(Schema):
    code = fields.String(metadata={"description": "如 calendar.year_unknown"})
    year = fields.Integer()
    message = fields.String()


class CalendarDaySchema(Schema):
    day = fields.Date()
    weekday = fields.String(metadata={"description": "周一…周日"})
    kind = fields.String(metadata={"description": "holiday 放假；workday 调休上班"})
    name = fields.String()
    note = fields.String()
    source = fields.String(metadata={"description": "package 内置节假日数据；table 人工维护表"})
    overrides_package = fields.Boolean(metadata={"description": "人工维护表覆盖了内置数据"})
    is_working_day = fields.Boolean()
    updated_at = LocalDateTime(allow_none=True)


class CalendarYearSchema(Schema):
    year = fields.Integer()
    known = fields.Boolean(metadata={"description": "该年的法定节假日已知（内置数据或人工录入）"})
    package_knows = fields.Boolean()
    days = fields.List(fields.Nested(CalendarDaySchema))
    warnings = fields.List(fields.Nested(CalendarWarningSchema))
