"""Schemas of the staff console's account pages: users, role grants, flags, audit, regions."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.accounts.models import ROLES
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.households import LocalDateTime, RegionNodeSchema


class StaffUserSchema(Schema):
    """A person as staff see them: the phone only masked, never the number itself."""

    id = fields.Integer()
    display_name = fields.String()
    phone_masked = fields.String(allow_none=True)
    household = fields.Nested(RegionNodeSchema, allow_none=True)
    is_volunteer = fields.Boolean()
    is_party_member = fields.Boolean()
    status = fields.String()
    created_at = LocalDateTime()


class UserListQuery(PageQuery):
    phone = fields.String(load_default=None, validate=validate.Length(max=20),
                          metadata={"description": "按完整手机号精确查找"})
    region_id = fields.Integer(load_default=None, metadata={"description": "只看该区域内的人"})


class GrantCreateSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    region_id = fields.Integer(required=True)


class RoleGrantSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    role = fields.String()
    region = fields.Nested(RegionNodeSchema)
    created_at = LocalDateTime()
    revoked_at = LocalDateTime(allow_none=True)


class UserFlagsSchema(Schema):
    is_volunteer = fields.Boolean(load_default=None, metadata={"description": "志愿者"})
    is_party_member = fields.Boolean(load_default=None, metadata={"description": "党员"})

    @validates_schema
    def _one_at_least(self, data, **kwargs):
        if data.get("is_volunteer") is None and data.get("is_party_member") is None:
            raise ValidationError("请至少选择一项要修改的身份")


class AuditQuery(PageQuery):
    action = fields.String(load_default=None, validate=validate.Length(max=64))
    object_type = fields.String(load_default=None, validate=validate.Length(max=32))
    object_id = fields.String(load_default=None, validate=validate.Length(max=64))
    actor_id = fields.Integer(load_default=None)


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = LocalDateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    region_id = fields.Integer(allow_none=True)
    region_path = fields.String()
    summary = fields.String(metadata={"description": "JSON 文本，只含编号和代码"})


class RegionOverviewSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_id = fields.Integer(allow_none=True)
    ancestors = fields.List(fields.Nested(RegionNodeSchema))
    children = fields.List(fields.Nested(RegionNodeSchema))
    next_cursor = fields.String(allow_none=True, metadata={"description": "下一页子区域的游标"})
