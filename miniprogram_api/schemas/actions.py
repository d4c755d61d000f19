"""Schemas of the actions API (微行动): actions, sign-ups, QR codes, attendance, organisers."""

from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from app.actions import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.points import Local
from miniprogram_api.schemas.requests_admin import UtcDateTime


class ActionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    place = fields.String()
    starts_at = Local()
    ends_at = Local()
    capacity = fields.Integer()
    taken = fields.Integer(metadata={"description": "已确认的名额"})
    region_id = fields.Integer(metadata={"description": "可报名的范围"})
    issuer_region_id = fields.Integer(metadata={"description": "出具服务证明的社区(村)或街道"})
    skills = fields.Function(lambda a: json.loads(a.skills or "[]"))
    points_event_type = fields.String()
    cancel_close_minutes = fields.Integer(metadata={"description": "开始前多少分钟停止取消报名"})
    status = fields.String(metadata={"description": "open 报名中 / cancelled 已取消"})
    organiser_id = fields.Integer()
    cancel_reason = fields.String()


class ActionSignupSchema(Schema):
    id = fields.Integer()
    action_id = fields.Integer()
    user_id = fields.Integer()
    status = fields.String(metadata={"description": "confirmed / waitlisted 候补 / cancelled"})
    waitlist_position = fields.Integer(allow_none=True)
    queued_at = Local()
    checked_in_at = Local()
    checked_out_at = Local()
    attendance = fields.String(metadata={
        "description": "none 未签退 / pending 待组织者确认 / confirmed / rejected"})
    suggested_minutes = fields.Integer(allow_none=True,
                                       metadata={"description": "按签到签退计算的服务分钟数"})
    minutes = fields.Integer(allow_none=True, metadata={"description": "组织者确认的服务分钟数"})
    corrected = fields.Boolean()
    decision_reason = fields.String()
    points_ref = fields.String(allow_none=True)


class ActionDetailSchema(ActionSchema):
    mine = fields.Nested(ActionSignupSchema, allow_none=True,
                         metadata={"description": "我的报名（未报名为空）"})


class ActionMySignupSchema(ActionSignupSchema):
    action = fields.Nested(ActionSchema)


class ActionCreateSchema(Schema):
    region_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    place = fields.String(required=True, validate=validate.Length(min=1, max=200))
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    skills = fields.List(fields.String(validate=validate.Length(max=20)), load_default=list,
                         validate=validate.Length(max=10))
    points_event_type = fields.String(load_default="action.attended",
                                      validate=validate.Length(max=48))
    cancel_close_minutes = fields.Integer(load_default=120,
                                          validate=validate.Range(min=0, max=7 * 24 * 60))


class ActionUpdateSchema(Schema):
    title = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    description = fields.String(load_default=None, validate=validate.Length(max=5000))
    place = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    capacity = fields.Integer(load_default=None, validate=validate.Range(min=1, max=10_000))


class ActionCancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ActionListQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "cancelled")))
    upcoming = fields.Boolean(load_default=False)


class ActionQrQuery(Schema):
    phase = fields.String(required=True, validate=validate.OneOf(rules.PHASES),
                          metadata={"description": "in 签到 / out 签退"})


class ActionQrCodeSchema(Schema):
    token = fields.String(metadata={"description": "二维码内容；每分钟更新"})
    phase = fields.String()
    expires_at = Local()


class ActionScanSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ActionAttendanceSchema(Schema):
    decision = fields.String(required=True,
                             validate=validate.OneOf(("confirm", "correct", "reject")))
    minutes = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1440))
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class ActionOrganiserSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    region_id = fields.Integer()
    created_at = Local()
    revoked_at = Local()


class ActionOrganiserCreateSchema(Schema):
    user_id = fields.Integer(required=True)
    region_id = fields.Integer(required=True)


class ActionServiceRecordQuery(Schema):
    issuer_region_id = fields.Integer(load_default=None, metadata={
        "description": "出具单位（社区或村）；证明默认为本人所在社区(村)"})


class ActionStaffServiceRecordQuery(Schema):
    issuer_region_id = fields.Integer(required=True)
