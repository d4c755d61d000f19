"""Schemas for the staff console login, TOTP enrolment, password change and profile."""

from marshmallow import Schema, fields, validate

from miniprogram_api.schemas.accounts import ProfileSchema

_OTP = validate.Regexp(r"^(\d{6})?$", error="动态验证码应为 6 位数字")
# Bounded so a huge body cannot make argon2 hash megabytes.
_PASSWORD = validate.Length(min=1, max=128)


class StaffLoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=_PASSWORD)
    otp = fields.String(load_default=None, allow_none=True, validate=_OTP,
                        metadata={"description": "已启用动态验证码时必填：验证器应用中的 6 位数字"})


class StaffTokenSchema(Schema):
    token = fields.String(required=True)
    token_type = fields.String(dump_default="Bearer")
    expires_in = fields.Integer(metadata={"description": "令牌有效期（秒）"})
    idle_timeout = fields.Integer(metadata={"description": "无操作多久后需要重新登录（秒）"})


class TotpSetupSchema(Schema):
    secret = fields.String(metadata={"description": "base32 密钥，供手动输入"})
    otpauth_uri = fields.String(metadata={"description": "otpauth:// 地址，可生成二维码扫描"})


class OtpSchema(Schema):
    otp = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$",
                                                                 error="动态验证码应为 6 位数字"))


class TotpDisableSchema(OtpSchema):
    password = fields.String(required=True, validate=_PASSWORD)


class PasswordChangeSchema(Schema):
    old_password = fields.String(required=True, validate=_PASSWORD)
    new_password = fields.String(required=True, validate=_PASSWORD)


class StaffProfileSchema(ProfileSchema):
    username = fields.String(allow_none=True)
    totp_enabled = fields.Boolean()
