"""Schemas for household bindings and the public region picker."""

from marshmallow import Schema, fields, validate

from app.accounts.bindings import STATUSES
from app.clock import iso
from miniprogram_api.pagination import PageQuery


class LocalDateTime(fields.DateTime):
    """A stored naive-UTC time rendered in Asia/Shanghai with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class RegionNodeSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    level = fields.String(metadata={"description": "district/town/village/grid/estate/"
                                                   "building/household"})


class BindingRequestSchema(Schema):
    household_id = fields.Integer(required=True, metadata={"description": "户（门牌）的区域 id"})
    real_name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    relation = fields.String(required=True, validate=validate.Length(min=1, max=20),
                             metadata={"description": "与户主关系：户主、配偶、子女、租户……"})


class BindingApproveSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=200),
                           metadata={"description": "可选的审核说明，居民可见"})


class BindingRejectSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200),
                           metadata={"description": "不通过的原因，居民可见"})


class BindingHouseholdSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String()
    address = fields.String(metadata={"description": "从区县到户的完整地址"})


class BindingApplicantSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    phone_masked = fields.String(allow_none=True)


class BindingSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "pending/approved/rejected/ended"})
    real_name = fields.String()
    relation = fields.String()
    reason = fields.String(metadata={"description": "审核说明或不通过的原因"})
    household = fields.Nested(BindingHouseholdSchema)
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
    ended_at = LocalDateTime(allow_none=True)


class StaffBindingSchema(BindingSchema):
    user = fields.Nested(BindingApplicantSchema)


class BindingListQuery(PageQuery):
    status = fields.String(load_default="pending", validate=validate.OneOf(STATUSES))
