"""Schemas of the disclosures API (residents' reading and questions, the staff console,
the cadence)."""

from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from app.disclosures import cadence_rules, rules
from miniprogram_api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageQuery
from miniprogram_api.schemas.media import MediaSchema
from miniprogram_api.schemas.posts import Local


def _category_name(d) -> str:
    return rules.CATEGORIES.get(d.kind, {}).get(d.category, d.category)


def _excerpt(d) -> str:
    text = " ".join(d.body.split())
    return text if len(text) <= 80 else text[:79] + "…"


class DisclosureSummarySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_name = fields.Function(lambda d: rules.KIND_NAMES.get(d.kind, d.kind))
    category = fields.String()
    category_name = fields.Function(_category_name)
    period = fields.String(metadata={
        "description": "公开期间：2026、2026-Q4、2026-11 或 2026-11-23"})
    title = fields.String()
    excerpt = fields.Function(_excerpt)
    region_id = fields.Integer(attribute="region_id")
    region_name = fields.Function(lambda d: d.region.name)
    corrects_id = fields.Integer(attribute="corrects_id", allow_none=True,
                                 metadata={"description": "本条是对哪一条的更正；为空表示不是更正"})
    published_at = Local()


class LinkSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    published_at = Local()


class AnswerSchema(Schema):
    kind = fields.String(metadata={"description": "question 提问 / objection 异议"})
    question = fields.String(attribute="public_question")
    answer = fields.String()
    answered_at = Local()


class DisclosureDetailSchema(DisclosureSummarySchema):
    body = fields.String()
    correction_reason = fields.String()
    matter_key = fields.String(allow_none=True)
    extra = fields.Function(lambda d: json.loads(d.extra or "{}"),
                            metadata={"description": "随公开发布的附加事实（如三资账目摘要）"})
    photos = fields.List(fields.Nested(MediaSchema))
    corrects = fields.Nested(LinkSchema, allow_none=True,
                             metadata={"description": "被本条更正的原公开事项"})
    corrections = fields.List(fields.Nested(LinkSchema),
                              metadata={"description": "更正本条的公开事项（均保持可见）"})
    answers = fields.List(fields.Nested(AnswerSchema))


class StaffDisclosureSummarySchema(DisclosureSummarySchema):
    status = fields.String()
    status_name = fields.Function(lambda d: rules.STATE_NAMES.get(d.status, d.status))
    author_id = fields.Integer(attribute="author_id")
    created_at = Local()
    updated_at = Local()


class StaffDisclosureSchema(StaffDisclosureSummarySchema, DisclosureDetailSchema):
    review_note = fields.String()
    submitted_at = Local()
    reviewed_by_id = fields.Integer(attribute="reviewed_by_id", allow_none=True)
    reviewed_at = Local()
    allowed_actions = fields.List(fields.String())


class DisclosureListQuery(Schema):
    kind = fields.String(load_default=None, validate=validate.OneOf(rules.KINDS))
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=MAX_LIMIT))


class StaffDisclosureQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    kind = fields.String(load_default=None, validate=validate.OneOf(rules.KINDS))
    region_id = fields.Integer(load_default=None)


class DisclosureUpdateSchema(Schema):
    category = fields.String(required=True, validate=validate.Length(min=1, max=32))
    period = fields.String(required=True, validate=validate.Length(min=4, max=10))
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    body = fields.String(required=True, validate=validate.Length(min=1, max=rules.BODY_MAX))
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS),
                            metadata={"description": "新增的附件图片（先上传到 /api/v1/media）"})


class DisclosureCreateSchema(DisclosureUpdateSchema):
    region_id = fields.Integer(required=True, metadata={"description": "社区(村)或街道(乡镇)"})
    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS))


class CorrectionSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    body = fields.String(required=True, validate=validate.Length(min=1, max=rules.BODY_MAX))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))
    category = fields.String(load_default=None)
    period = fields.String(load_default=None)
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class ReviewNoteSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=rules.NOTE_MAX))


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))


class AskSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(rules.QUESTION_KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.QUESTION_MAX))


class MyQuestionSchema(Schema):
    id = fields.Integer()
    disclosure_id = fields.Integer(attribute="disclosure_id")
    kind = fields.String()
    text = fields.String()
    status = fields.String(metadata={"description": "open 待答复 / answered 已答复"})
    answer = fields.String()
    created_at = Local()
    answered_at = Local()


class StaffQuestionSchema(MyQuestionSchema):
    asker_id = fields.Integer(attribute="asker_id")
    public_question = fields.String()


class StaffQuestionQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "answered")))
    region_id = fields.Integer(load_default=None)


class AnswerBodySchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=rules.ANSWER_MAX))
    public_question = fields.String(load_default=None, validate=validate.Length(
        max=rules.QUESTION_MAX), metadata={"description": "公开时显示的问题（去掉个人信息）；"
                                                          "不填则用居民原文"})


class DisclosureRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class TrackedRequestSchema(Schema):
    request_id = fields.Integer(attribute="id")
    tracking_no = fields.String()
    status = fields.String()


class DueSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    village_name = fields.Function(lambda d: d.village.name)
    kind = fields.String()
    kind_name = fields.Function(lambda d: rules.KIND_NAMES.get(d.kind, d.kind))
    period = fields.String()
    period_name = fields.Function(lambda d: cadence_rules.period_label(d.period))
    due_at = Local()
    status = fields.String()
    status_name = fields.Function(lambda d: cadence_rules.DUE_STATE_NAMES.get(d.status,
                                                                              d.status))
    disclosure_id = fields.Integer(allow_none=True)
    overdue_at = Local()
    met_at = Local()


class DueQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(cadence_rules.DUE_STATES))
    region_id = fields.Integer(load_default=None)


class RhythmSchema(Schema):
    village_id = fields.Integer()
    kind = fields.String()
    rhythm = fields.String(metadata={"description": "monthly 每月 / quarterly 每季度"})
    grace_days = fields.Integer(metadata={"description": "期间结束后多少天内须公开（自然日）"})
    major_days = fields.Integer(metadata={"description": "重大事项发生后多少天内须公开（自然日）"})
    configured = fields.Boolean(metadata={"description": "false 表示使用默认频次"})


class RhythmBodySchema(Schema):
    rhythm = fields.String(required=True, validate=validate.OneOf(cadence_rules.RHYTHMS))
    grace_days = fields.Integer(load_default=cadence_rules.DEFAULT_GRACE_DAYS)
    major_days = fields.Integer(load_default=cadence_rules.DEFAULT_MAJOR_DAYS)
