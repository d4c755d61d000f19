"""Schemas of the requests API (resident and staff)."""

from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from app.clock import iso
from app.requests import rules
from miniprogram_api.pagination import PageQuery


class Local(fields.Field):
    """A stored naive-UTC time rendered in Asia/Shanghai."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class SubmitRequestSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(rules.TYPES))
    category_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    region_id = fields.Integer(load_default=None)
    address_text = fields.String(load_default="", validate=validate.Length(max=200))
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=9))


class OnBehalfSchema(Schema):
    user_id = fields.Integer(load_default=None)
    name = fields.String(load_default=None, validate=validate.Length(max=50))
    phone = fields.String(load_default=None, validate=validate.Length(max=20))


class StaffSubmitSchema(SubmitRequestSchema):
    channel = fields.String(required=True,
                            validate=validate.OneOf(("phone", "walk_in", "staff_entry")))
    on_behalf = fields.Nested(OnBehalfSchema, required=True)


class TimelineEntrySchema(Schema):
    id = fields.Integer()
    at = Local()
    action = fields.String()
    label = fields.String()
    note = fields.String()
    actor_role = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    details = fields.Method("_details")

    def _details(self, obj):
        return json.loads(obj.details or "{}")


class RequestSummarySchema(Schema):
    id = fields.Integer()
    tracking_no = fields.String()
    type = fields.String()
    type_name = fields.Function(lambda r: rules.TYPE_NAMES.get(r.type, r.type))
    category_code = fields.String()
    status = fields.String()
    status_name = fields.Function(lambda r: rules.STATE_NAMES.get(r.status, r.status))
    text = fields.String()
    channel = fields.String()
    address_text = fields.String()
    region_id = fields.Integer(attribute="region_id")
    mediation_code = fields.String(allow_none=True)
    hop_count = fields.Integer()
    escalation_level = fields.Integer()
    held_for_review = fields.Boolean()
    accept_deadline = Local()
    resolve_deadline = Local()
    rating = fields.String(allow_none=True)
    created_at = Local()
    resolved_at = Local()
    closed_at = Local()


class RequestDetailSchema(RequestSummarySchema):
    allowed_actions = fields.List(fields.String())
    timeline = fields.List(fields.Nested(TimelineEntrySchema))
    lead_unit = fields.String(allow_none=True)


class NoteSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class RateSchema(Schema):
    rating = fields.String(required=True, validate=validate.OneOf(rules.RATINGS))
    comment = fields.String(load_default="", validate=validate.Length(max=500))
    reopen = fields.Boolean(load_default=False)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class DispatchSchema(Schema):
    lead_unit_id = fields.Integer(load_default=None)
    assist_unit_ids = fields.List(fields.Integer(), load_default=list)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class TransferSchema(Schema):
    unit_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ReturnSchema(Schema):
    clause = fields.Integer(required=True)
    note = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ExtensionSchema(Schema):
    days = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DecisionSchema(Schema):
    approve = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class QuestionSchema(Schema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ResolveSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=9))


class StaffNoteSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    public = fields.Boolean(load_default=True)


class MergeSchema(Schema):
    into_id = fields.Integer(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class MediationSchema(Schema):
    code = fields.String(required=True, validate=validate.OneOf(rules.MEDIATION_CODES))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class ReviewSchema(Schema):
    approve = fields.Boolean(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class CategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    resolve_days = fields.Integer(allow_none=True)


class CategoryQuery(Schema):
    region_id = fields.Integer(load_default=None)


class QueueQuery(PageQuery):
    queue = fields.String(load_default="all")
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    type = fields.String(load_default=None, validate=validate.OneOf(rules.TYPES))
    category_code = fields.String(load_default=None)
    channel = fields.String(load_default=None, validate=validate.OneOf(rules.CHANNELS))
    region_id = fields.Integer(load_default=None)
    created_from = fields.DateTime(load_default=None)
    created_to = fields.DateTime(load_default=None)
