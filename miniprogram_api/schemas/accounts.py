"""Schemas for login, tokens and the caller's profile."""

from marshmallow import Schema, fields, validate


class WxLoginSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128),
                         metadata={"description": "wx.login() 返回的临时登录凭证"})


class PhoneCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128),
                         metadata={"description": "getPhoneNumber 返回的 code"})


class TokenSchema(Schema):
    token = fields.String(required=True)
    token_type = fields.String(dump_default="Bearer")
    expires_in = fields.Integer()
    new_user = fields.Boolean()


class RegionRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    level = fields.String()


class GrantSchema(Schema):
    id = fields.Integer()
    role = fields.String()
    region = fields.Nested(RegionRefSchema)


class HouseholdSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String()
    address = fields.String()


class ProfileSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "完整号码，仅本人可见"})
    phone_masked = fields.String(allow_none=True)
    is_volunteer = fields.Boolean()
    is_party_member = fields.Boolean()
    is_resident = fields.Boolean()
    household = fields.Nested(HouseholdSchema, allow_none=True)
    grants = fields.List(fields.Nested(GrantSchema))


class PhoneBoundSchema(Schema):
    phone_masked = fields.String()
