"""Schemas of the 事前公示 API (residents and the staff console)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.notices import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.media import MediaSchema
from miniprogram_api.schemas.posts import Local


class PublicObjectionSchema(Schema):
    objection = fields.String(attribute="public_text")
    answer = fields.String()
    answered_at = Local()


class NoticeSummarySchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    village_name = fields.Function(lambda n: n.village.name)
    matter_type = fields.String()
    matter_type_name = fields.Function(lambda n: rules.MATTER_TYPES.get(n.matter_type))
    matter = fields.String()
    status = fields.String()
    status_name = fields.Function(lambda n: rules.STATE_NAMES.get(n.status, n.status))
    objection_days = fields.Integer(metadata={"description": "公示期（自然日）"})
    published_at = Local()
    period_ends_at = Local(metadata={"description": "异议期截止（不含）"})
    result = fields.String(allow_none=True)
    result_name = fields.Function(lambda n: rules.RESULTS.get(n.result) if n.result else None)
    decided_at = Local()


class NoticeDetailSchema(NoticeSummarySchema):
    proposal = fields.String()
    result_text = fields.String()
    photos = fields.List(fields.Nested(MediaSchema))
    objections = fields.List(fields.Nested(PublicObjectionSchema),
                             metadata={"description": "已答复的异议（不显示提出人）"})
    accepting_objections = fields.Boolean()


class StaffNoticeSchema(NoticeDetailSchema):
    author_id = fields.Integer(attribute="author_id")
    created_at = Local()
    updated_at = Local()
    allowed_actions = fields.List(fields.String())


class NoticeBodySchema(Schema):
    matter_type = fields.String(required=True, validate=validate.OneOf(tuple(rules.MATTER_TYPES)))
    matter = fields.String(required=True, validate=validate.Length(min=1, max=rules.MATTER_MAX))
    proposal = fields.String(required=True,
                             validate=validate.Length(min=1, max=rules.PROPOSAL_MAX))
    objection_days = fields.Integer(load_default=rules.MIN_DAYS, metadata={
        "description": f"公示期，自然日，{rules.MIN_DAYS} 到 {rules.MAX_DAYS} 天"})
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class NoticeCreateSchema(NoticeBodySchema):
    village_id = fields.Integer(required=True)


class ResultSchema(Schema):
    result = fields.String(required=True, validate=validate.OneOf(tuple(rules.RESULTS)))
    result_text = fields.String(required=True,
                                validate=validate.Length(min=1, max=rules.RESULT_MAX))


class ObjectionBodySchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.TEXT_MAX))


class MyObjectionSchema(Schema):
    id = fields.Integer()
    notice_id = fields.Integer(attribute="notice_id")
    text = fields.String()
    status = fields.String()
    answer = fields.String()
    created_at = Local()
    answered_at = Local()


class StaffObjectionSchema(MyObjectionSchema):
    objector_id = fields.Integer(attribute="objector_id")
    public_text = fields.String()


class AnswerObjectionSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=rules.TEXT_MAX))
    public_text = fields.String(load_default=None, validate=validate.Length(max=rules.TEXT_MAX),
                                metadata={"description": "公开显示的异议内容（去掉个人信息）"})


class StaffNoticeQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    region_id = fields.Integer(load_default=None)


class StaffObjectionQuery(PageQuery):
    notice_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "answered")))
