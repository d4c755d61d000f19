"""Schemas of the reports API (我要举报): the reporter's side and the officers' side.

The receipt is never part of a URL: it travels in a JSON body field ``receipt`` or in the
``X-Report-Receipt`` header.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.clock import iso
from app.reports import routing, rules
from app.reports.handling import QUEUES
from app.reports.stats import GROUPS
from miniprogram_api.pagination import PageQuery


class Local(fields.Field):
    """A stored naive-UTC time rendered in Asia/Shanghai."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


# -- reporter side ----------------------------------------------------------------------------

class SubmitReportSchema(Schema):
    village_id = fields.Integer(required=True, metadata={
        "description": "被举报人所在的社区(村)，或其下的网格、楼栋"})
    text = fields.String(required=True,
                         validate=validate.Length(min=rules.TEXT_MIN, max=rules.TEXT_MAX))
    accused_user_id = fields.Integer(load_default=None, metadata={
        "description": "从 /api/v1/reports/accused-options 中选择；也可只填姓名或单位"})
    accused_name = fields.String(load_default="", validate=validate.Length(max=50))
    accused_office = fields.String(load_default="", validate=validate.Length(max=100))
    accused_role = fields.String(load_default="cadre",
                                 validate=validate.OneOf(routing.ACCUSED_ROLES))


class SubmittedSchema(Schema):
    report_id = fields.Integer()
    receipt = fields.String(metadata={"description": "16 位回执码，只显示这一次"})
    mode = fields.String()
    status = fields.String()
    retention_days = fields.Integer(metadata={"description": "办结后保存的天数，期满销毁"})
    created_at = Local()
    notice = fields.String()
    receipt_notice = fields.String()


class ReceiptSchema(Schema):
    receipt = fields.String(load_default=None, validate=validate.Length(max=40), metadata={
        "description": "回执码；也可放在请求头 X-Report-Receipt 中。绝不放在网址里"})


class ReporterTextSchema(ReceiptSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.MESSAGE_MAX))


class ReporterMessageSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    side = fields.String()
    created_at = Local()
    text = fields.String()


class ReporterStatusSchema(Schema):
    status = fields.String()
    status_name = fields.String()
    mode = fields.String()
    created_at = Local()
    stage_deadline = Local()
    retention_days = fields.Integer()
    purge_after = Local()
    destroyed = fields.Boolean()
    messages = fields.List(fields.Nested(ReporterMessageSchema))


class WrittenSchema(Schema):
    message_id = fields.Integer()
    created_at = Local()


class AttachedSchema(Schema):
    attachment_id = fields.Integer()
    mime = fields.String()
    created_at = Local()


class NoticeSchema(Schema):
    anonymous = fields.String()
    confidential = fields.String()
    receipt = fields.String()
    default_retention_days = fields.Integer()


class VillageQuery(Schema):
    village_id = fields.Integer(required=True)


class AccusedOptionSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    role = fields.String()
    role_name = fields.String()


# -- officers' side ---------------------------------------------------------------------------

class KeyPasswordSchema(Schema):
    key_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(min=1, max=200))


class KeyStateSchema(Schema):
    has_key = fields.Boolean()
    unlocked = fields.Boolean()
    expires_in = fields.Integer(allow_none=True)


class ReportQueueQuery(PageQuery):
    queue = fields.String(load_default="open", validate=validate.OneOf(QUEUES))


class QueueItemSchema(Schema):
    id = fields.Integer()
    mode = fields.String()
    status = fields.String()
    status_name = fields.String()
    village_name = fields.String(allow_none=True)
    elevated = fields.Boolean()
    created_at = Local()
    stage_deadline = Local()
    overdue = fields.Boolean()
    my_level = fields.String(allow_none=True)
    key_ready = fields.Boolean()


class AccusedSchema(Schema):
    user_id = fields.Integer(allow_none=True)
    user_name = fields.String(allow_none=True)
    name = fields.String()
    office = fields.String()
    role = fields.String(allow_none=True)


class OfficerMessageSchema(ReporterMessageSchema):
    author_name = fields.String(allow_none=True)


class RevealRequestSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    created_at = Local()
    requested_by = fields.String(allow_none=True)
    requested_by_id = fields.Integer()
    decided_by = fields.String(allow_none=True)
    decided_at = Local()
    reason = fields.String()


class RecipientSchema(Schema):
    user_id = fields.Integer()
    name = fields.String(allow_none=True)
    level = fields.String()
    recused = fields.Boolean()
    key_ready = fields.Boolean()


class AttachmentSchema(Schema):
    id = fields.Integer()
    mime = fields.String()
    created_at = Local()


class VillageRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ReportDetailSchema(Schema):
    id = fields.Integer()
    mode = fields.String()
    status = fields.String()
    status_name = fields.String()
    village = fields.Nested(VillageRefSchema)
    elevated = fields.Boolean()
    created_at = Local()
    stage_deadline = Local()
    retention_days = fields.Integer()
    purge_after = Local()
    my_level = fields.String()
    text = fields.String()
    accused = fields.Nested(AccusedSchema)
    messages = fields.List(fields.Nested(OfficerMessageSchema))
    attachments = fields.List(fields.Nested(AttachmentSchema))
    reveal_requests = fields.List(fields.Nested(RevealRequestSchema))
    recipients = fields.List(fields.Nested(RecipientSchema))
    allowed_transitions = fields.List(fields.String())


class TransitionSchema(Schema):
    to = fields.String(required=True, validate=validate.OneOf(rules.STATUSES))
    text = fields.String(load_default="", validate=validate.Length(max=rules.MESSAGE_MAX))


class OfficerTextSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=rules.MESSAGE_MAX))


class RevealReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=rules.MESSAGE_MAX))


class RevealDecisionSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    decided_at = Local()


class IdentitySchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    phone = fields.String(allow_none=True)
    reveal_id = fields.Integer()


class RecusedSchema(Schema):
    id = fields.Integer()
    recused = fields.Boolean()


class AuditItemSchema(Schema):
    id = fields.Integer()
    at = Local()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String()
    action = fields.String()
    summary = fields.String()


class StatsQuery(Schema):
    group_by = fields.String(load_default="status", validate=validate.OneOf(GROUPS))


class StatsGroupSchema(Schema):
    key = fields.String()
    name = fields.String()
    count = fields.String()


class StatsSchema(Schema):
    group_by = fields.String()
    total = fields.String(metadata={"description": "小于 5 时显示为 \"<5\""})
    groups = fields.List(fields.Nested(StatsGroupSchema))


class RetentionSchema(Schema):
    region_id = fields.Integer(required=True)
    retention_days = fields.Integer(required=True)


class VillageHeadSchema(Schema):
    village_id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    is_head = fields.Boolean(required=True)
