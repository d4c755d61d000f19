"""Schemas of the livestream API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.livestreams import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.posts import Local, LocalDateTime


class LivestreamSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    village_name = fields.Function(lambda s: s.village.name)
    matter_type = fields.String()
    matter_type_name = fields.Function(lambda s: rules.MATTER_TYPES.get(s.matter_type))
    title = fields.String()
    link = fields.String()
    starts_at = Local()
    status = fields.String()
    status_name = fields.Function(lambda s: rules.STATE_NAMES.get(s.status, s.status))
    cancel_reason = fields.String()
    notice_id = fields.Integer(attribute="notice_id", allow_none=True)
    disclosure_id = fields.Integer(allow_none=True,
                                   metadata={"description": "直播结果的公开事项"})


class StaffLivestreamSchema(LivestreamSchema):
    announced_at = Local()
    reminded_at = Local()
    created_by_id = fields.Integer(attribute="created_by_id")
    created_at = Local()


class LivestreamBodySchema(Schema):
    village_id = fields.Integer(required=True)
    matter_type = fields.String(required=True, validate=validate.OneOf(tuple(rules.MATTER_TYPES)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    link = fields.String(required=True, validate=validate.Length(min=1, max=rules.LINK_MAX),
                         metadata={"description": "https 直播地址"})
    starts_at = LocalDateTime(required=True, metadata={"description": "至少提前 30 分钟"})
    notice_id = fields.Integer(load_default=None, metadata={"description": "对应的事前公示"})


class CancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ResultBodySchema(Schema):
    minutes = fields.String(required=True, validate=validate.Length(min=1, max=rules.TEXT_MAX))
    result = fields.String(required=True, validate=validate.Length(min=1, max=rules.TEXT_MAX))
    photo_ids = fields.List(fields.Integer(), load_default=list, validate=validate.Length(max=9))


class StaffLivestreamQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    region_id = fields.Integer(load_default=None)
