"""Schemas of the 微实事 projects API. Projects are rendered from the dicts
``app.projects.describe`` builds, which already leave out what the viewer may not see;
absent keys are omitted. Money is always in fen (integers)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.projects import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.media import MediaSchema
from miniprogram_api.schemas.posts import LocalDateTime
from miniprogram_api.schemas.requests import Local

FEN = {"description": "金额，单位：分"}


class RoundSchema(Schema):
    id = fields.Integer()
    region_id = fields.Integer()
    title = fields.String()
    description = fields.String()
    ballot_type = fields.String(metadata={"enum": list(rules.BALLOT_TYPES)})
    ballot_type_name = fields.String()
    vote_unit = fields.String(metadata={"enum": list(rules.VOTE_UNITS)})
    vote_unit_name = fields.String()
    budget_fen = fields.Integer(metadata=FEN)
    phase = fields.String(metadata={"enum": list(rules.PHASES),
                                    "description": "由各阶段时间与当前时间计算"})
    phase_name = fields.String()
    proposal_opens_at = Local()
    review_opens_at = Local()
    voting_opens_at = Local()
    voting_closes_at = Local()
    execution_opens_at = Local()
    acceptance_opens_at = Local()
    closes_at = Local()
    result_published_at = Local()
    ballot_count = fields.Integer(allow_none=True)
    is_resident = fields.Boolean(metadata={"description": "调用者是否为本轮区域的已认证居民"})


class RoundCreateSchema(Schema):
    region_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    ballot_type = fields.String(required=True, validate=validate.OneOf(rules.BALLOT_TYPES))
    vote_unit = fields.String(required=True, validate=validate.OneOf(rules.VOTE_UNITS))
    budget_fen = fields.Integer(required=True, strict=True, metadata=FEN)
    proposal_opens_at = LocalDateTime(required=True)
    review_opens_at = LocalDateTime(required=True)
    voting_opens_at = LocalDateTime(required=True)
    voting_closes_at = LocalDateTime(required=True)
    execution_opens_at = LocalDateTime(required=True)
    acceptance_opens_at = LocalDateTime(required=True)
    closes_at = LocalDateTime(required=True)


class AdvanceSchema(Schema):
    to_phase = fields.String(required=True, validate=validate.OneOf(rules.PHASES[1:]))


class ProposalSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    description = fields.String(required=True,
                                validate=validate.Length(min=1, max=rules.DESCRIPTION_MAX))
    location = fields.String(required=True,
                             validate=validate.Length(min=1, max=rules.LOCATION_MAX))
    estimated_cost_fen = fields.Integer(required=True, strict=True, metadata=FEN)


class ProjectSummarySchema(Schema):
    id = fields.Integer()
    round_id = fields.Integer()
    kind = fields.String()
    kind_name = fields.String()
    title = fields.String()
    description = fields.String()
    location = fields.String()
    estimated_cost_fen = fields.Integer(metadata=FEN)
    status = fields.String(metadata={"enum": list(rules.STATES)})
    status_name = fields.String()
    proposer_name = fields.String(metadata={"description": "提议人称呼（已打码，如“张*”“张**”）"})
    created_at = Local()
    vote_count = fields.Integer(allow_none=True, metadata={"description": "结果公布后的得票数"})
    rank = fields.Integer(allow_none=True)
    completed_at = Local()
    is_mine = fields.Boolean()
    review_reason = fields.String(allow_none=True,
                                  metadata={"description": "审核意见（仅提议人和工作人员可见）"})
    merged_into_id = fields.Integer(allow_none=True)
    held_for_review = fields.Boolean()
    proposer_user_id = fields.Integer(metadata={"description": "仅工作人员可见"})
    household_id = fields.Integer(allow_none=True, metadata={"description": "仅工作人员可见"})


class ProjectDetailSchema(ProjectSummarySchema):
    spent_fen = fields.Integer(metadata=FEN)
    rating_count = fields.Integer()
    rating_average = fields.Float(allow_none=True)
    rated_by_me = fields.Boolean()


class StatusQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))


class StaffProjectQuery(PageQuery):
    status = fields.String(load_default="proposed", validate=validate.OneOf(rules.STATES))
    round_id = fields.Integer(load_default=None)


class BallotBodySchema(Schema):
    project_ids = fields.List(fields.Integer(), required=True,
                              validate=validate.Length(min=1, max=200))


class BallotSchema(Schema):
    voted = fields.Boolean()
    project_ids = fields.List(fields.Integer())
    cast_by_me = fields.Boolean(metadata={"description": "每户一票时，是否由本人投出"})
    cast_at = Local()
    changed_at = Local()


class StandingSchema(Schema):
    project_id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    estimated_cost_fen = fields.Integer(metadata=FEN)
    votes = fields.Integer()
    rank = fields.Integer()
    computed_selected = fields.Boolean(metadata={"description": "按计票规则是否入选"})
    selected = fields.Boolean(metadata={"description": "最终是否入选（含工作人员调整）"})


class OverrideSchema(Schema):
    project_id = fields.Integer()
    selected = fields.Boolean()
    reason = fields.String(metadata={"description": "调整理由（与结果一同公布）"})
    actor_role = fields.String()
    at = Local()


class ResultSchema(Schema):
    round_id = fields.Integer()
    ballot_type = fields.String()
    vote_unit = fields.String()
    budget_fen = fields.Integer(metadata=FEN)
    ballot_count = fields.Integer()
    published_at = Local()
    selected_cost_fen = fields.Integer(metadata=FEN)
    standings = fields.List(fields.Nested(StandingSchema))
    overrides = fields.List(fields.Nested(OverrideSchema))


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=rules.NOTE_MAX),
                           metadata={"description": "理由（必填，会公开或告知提议人）"})


class MergeSchema(Schema):
    into_id = fields.Integer(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=rules.NOTE_MAX))


class OverrideBodySchema(Schema):
    selected = fields.Boolean(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=rules.NOTE_MAX),
                           metadata={"description": "调整理由（必填，与结果一同公布）"})


class MilestoneBodySchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))
    happened_on = fields.Date(required=True)
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class MilestoneSchema(Schema):
    id = fields.Integer()
    note = fields.String()
    happened_on = fields.Date()
    created_at = Local()
    photos = fields.List(fields.Nested(MediaSchema))


class SpendingBodySchema(Schema):
    amount_fen = fields.Integer(required=True, strict=True, metadata=FEN)
    note = fields.String(required=True, validate=validate.Length(min=1, max=200))
    spent_on = fields.Date(required=True)
    voucher_no = fields.String(load_default="", validate=validate.Length(max=40))


class SpendingSchema(Schema):
    id = fields.Integer()
    amount_fen = fields.Integer(metadata=FEN)
    note = fields.String()
    voucher_no = fields.String(allow_none=True)
    spent_on = fields.Date()
    created_at = Local()


class RatingBodySchema(Schema):
    score = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    comment = fields.String(load_default="", validate=validate.Length(max=rules.NOTE_MAX))


class RatingSchema(Schema):
    id = fields.Integer()
    rater_name = fields.String(metadata={"description": "评价人称呼（已打码）"})
    score = fields.Integer()
    comment = fields.String(allow_none=True)
    created_at = Local()
    is_mine = fields.Boolean()
