"""Schemas of the wishes API. Wishes are rendered from the dicts ``app.wishes.describe``
builds, which already leave out what the viewer may not see; absent keys are omitted."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.wishes import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.media import MediaSchema
from miniprogram_api.schemas.posts import LocalDateTime
from miniprogram_api.schemas.requests import Local


class WishCategorySchema(Schema):
    code = fields.String()
    name = fields.String()


class WishCreateSchema(Schema):
    category = fields.String(required=True, validate=validate.OneOf(rules.CATEGORIES))
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.TEXT_MAX))
    deadline = LocalDateTime(load_default=None, metadata={"description": "期望完成时间（可选）"})
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class WishSummarySchema(Schema):
    id = fields.Integer()
    category = fields.String()
    category_name = fields.String()
    text = fields.String()
    deadline = Local()
    status = fields.String()
    status_name = fields.String()
    wisher_name = fields.String(metadata={"description": "许愿人称呼（已打码，如“张*”“张**”）"})
    claimant_name = fields.String(allow_none=True, metadata={"description": "认领人称呼（已打码）"})
    created_at = Local()
    claimed_at = Local()
    fulfilled_at = Local()
    confirmed_at = Local()
    auto_confirmed = fields.Boolean()
    thanked = fields.Boolean()
    is_mine = fields.Boolean()
    claimed_by_me = fields.Boolean()
    photos = fields.List(fields.Nested(MediaSchema))
    fulfil_note = fields.String(allow_none=True)
    thanks = fields.String(allow_none=True)
    claim_due_at = Local(metadata={"description": "认领须完成的时间（仅相关人可见）"})
    confirm_due_at = Local(metadata={"description": "逾期自动确认的时间"})
    review_reason = fields.String(allow_none=True, metadata={"description": "未通过审核的理由"})
    closed_reason = fields.String(allow_none=True)
    held_for_review = fields.Boolean()
    wisher_user_id = fields.Integer(metadata={"description": "仅工作人员可见"})
    claimant_user_id = fields.Integer(allow_none=True)
    household_id = fields.Integer()
    village_id = fields.Integer()
    fulfil_note_held = fields.Boolean()
    thanks_held = fields.Boolean()


class WishEventSchema(Schema):
    at = Local()
    action = fields.String()
    label = fields.Function(lambda e: rules.TRANSITIONS[e.action].label
                            if e.action in rules.TRANSITIONS else e.action)
    note = fields.String()
    actor_role = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)


class WishDetailSchema(WishSummarySchema):
    fulfilment_photos = fields.List(fields.Nested(MediaSchema))
    history = fields.List(fields.Nested(WishEventSchema))
    allowed_actions = fields.List(fields.String())


class WishWallQuery(PageQuery):
    status = fields.String(load_default="approved",
                           validate=validate.OneOf(("approved", "claimed", "fulfilled",
                                                    "confirmed")))


class WishReasonOptionalSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=rules.NOTE_MAX))


class WishReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))


class WishFulfilSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS))


class WishThanksSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.NOTE_MAX))


class StaffWishQuery(PageQuery):
    queue = fields.String(load_default="review", validate=validate.OneOf(("review", "all")))
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    region_id = fields.Integer(load_default=None)


class WishLimitsQuery(Schema):
    town_id = fields.Integer(required=True)


class WishLimitsSchema(Schema):
    town_id = fields.Integer(required=True)
    claim_days = fields.Integer(required=True, validate=validate.Range(*rules.CLAIM_DAYS_RANGE))
    auto_confirm_days = fields.Integer(required=True,
                                       validate=validate.Range(*rules.AUTO_CONFIRM_DAYS_RANGE))
    customised = fields.Boolean(dump_only=True)
