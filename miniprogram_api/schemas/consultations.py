"""Schemas of the consultations API. Topics and comments are rendered from the dicts
``app.consultations.reading`` builds, which already leave out what the viewer may not see;
absent keys are omitted."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.consultations import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.media import MediaSchema
from miniprogram_api.schemas.posts import LocalDateTime
from miniprogram_api.schemas.requests import Local


class ConsultationPollInput(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(rules.POLL_MODES),
                         metadata={"description": "single 单选 / multiple 多选"})
    options = fields.List(fields.String(validate=validate.Length(min=1, max=rules.OPTION_MAX)),
                          required=True, validate=validate.Length(*rules.OPTIONS_RANGE))
    max_choices = fields.Integer(load_default=None,
                                 metadata={"description": "多选最多可选项数（默认不限）"})
    results = fields.String(load_default="after_close",
                            validate=validate.OneOf(rules.RESULT_VISIBILITY),
                            metadata={"description": "after_close 截止后公开 / live 实时公开"})


class ConsultationWriteSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    background = fields.String(required=True,
                               validate=validate.Length(min=1, max=rules.BACKGROUND_MAX),
                               metadata={"description": "背景材料"})
    opens_at = LocalDateTime(load_default=None,
                             metadata={"description": "开始时间（可选；不填则发布即开始）"})
    closes_at = LocalDateTime(required=True, metadata={"description": "截止时间"})
    poll = fields.Nested(ConsultationPollInput, load_default=None, allow_none=True)
    notice_id = fields.Integer(load_default=None, allow_none=True,
                               metadata={"description": "关联的事前公示（同一社区(村)）"})
    project_id = fields.Integer(load_default=None, allow_none=True,
                                metadata={"description": "关联的微实事项目"})
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class ConsultationCreateSchema(ConsultationWriteSchema):
    region_id = fields.Integer(required=True, metadata={"description": "社区(村)或街道(乡镇)"})


class ConsultationOptionSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    count = fields.Integer(allow_none=True, metadata={"description": "选择人数（未公开时为空）"})


class ConsultationPollSchema(Schema):
    mode = fields.String()
    max_choices = fields.Integer()
    results = fields.String()
    results_visible = fields.Boolean()
    voters = fields.Integer(allow_none=True)
    options = fields.List(fields.Nested(ConsultationOptionSchema))
    my_choices = fields.List(fields.Integer(), allow_none=True)


class ConsultationSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    region_id = fields.Integer()
    region_name = fields.String()
    region_level = fields.String()
    status = fields.String()
    status_name = fields.String()
    opens_at = Local()
    closes_at = Local()
    opened_at = Local()
    closed_at = Local()
    decided_at = Local()
    has_poll = fields.Boolean()
    comment_count = fields.Integer(metadata={"description": "公开评论数"})
    withdraw_reason = fields.String(allow_none=True)
    author_user_id = fields.Integer(metadata={"description": "仅工作人员可见"})
    version = fields.Integer(metadata={"description": "仅工作人员可见"})


class ConsultationDetailSchema(ConsultationSummarySchema):
    background = fields.String()
    photos = fields.List(fields.Nested(MediaSchema))
    poll = fields.Nested(ConsultationPollSchema, allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"description": "议事结果"})
    outcome_reason = fields.String(allow_none=True, metadata={"description": "作出决定的理由"})
    notice_id = fields.Integer(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    allowed_actions = fields.List(fields.String())


class ConsultationCommentSchema(Schema):
    id = fields.Integer()
    consultation_id = fields.Integer()
    author_name = fields.String(metadata={"description": "评论人称呼（已打码，如“张*”）"})
    content = fields.String()
    status = fields.String()
    status_name = fields.String()
    created_at = Local()
    is_mine = fields.Boolean()
    reported_by_me = fields.Boolean()
    hidden_reason = fields.String(allow_none=True,
                                  metadata={"description": "隐藏理由（评论人和工作人员可见）"})
    author_user_id = fields.Integer(metadata={"description": "仅工作人员可见"})
    report_count = fields.Integer()
    reviewed = fields.Boolean()
    moderated_at = Local()


class ConsultationListQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(sorted(rules.PUBLIC_STATES)))


class StaffConsultationQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    region_id = fields.Integer(load_default=None)


class StaffCommentQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.COMMENT_STATES))


class ModerationQueueQuery(PageQuery):
    status = fields.String(load_default="pending_review",
                           validate=validate.OneOf(rules.COMMENT_STATES))
    region_id = fields.Integer(load_default=None)


class ConsultationCommentCreateSchema(Schema):
    content = fields.String(required=True,
                            validate=validate.Length(min=1, max=rules.COMMENT_MAX))


class ConsultationReportSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class ConsultationAnswerSchema(Schema):
    option_ids = fields.List(fields.Integer(), required=True,
                             validate=validate.Length(min=1, max=rules.OPTIONS_RANGE[1]))


class ConsultationReasonSchema(Schema):
    # An empty reason reaches the service, which answers consultation.reason_required.
    reason = fields.String(load_default="", validate=validate.Length(max=rules.REASON_MAX))


class ConsultationOutcomeSchema(Schema):
    # Empty texts reach the service: consultation.outcome_required / reason_required.
    outcome = fields.String(load_default="", validate=validate.Length(max=rules.OUTCOME_MAX),
                            metadata={"description": "决定了什么（必填）"})
    reason = fields.String(load_default="", validate=validate.Length(max=rules.OUTCOME_MAX),
                           metadata={"description": "为什么这样决定（必填）"})
