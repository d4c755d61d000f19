"""Staff console login, logout, TOTP enrolment, password change and profile (``/admin/api/v1``).

Tokens issued here are ``staff`` tokens: they expire after ``staff_token_ttl_seconds`` and after
``staff_idle_timeout_seconds`` without use.
"""

from flask import Blueprint, current_app

from app.accounts import staff
from app.accounts.tokens import revoke_token
from miniprogram_api.api import endpoint
from miniprogram_api.auth import bearer_token
from miniprogram_api.schemas.staff import (
    OtpSchema,
    PasswordChangeSchema,
    StaffLoginSchema,
    StaffProfileSchema,
    StaffTokenSchema,
    TotpDisableSchema,
    TotpSetupSchema,
)

bp = Blueprint("admin_auth", __name__, url_prefix="/admin/api/v1")


def _settings():
    return current_app.config["LINLI_SETTINGS"]


def _limits() -> dict:
    settings = _settings()
    return {"max_failures": settings.login_max_failures,
            "lockout_seconds": settings.login_lockout_seconds}


@endpoint(bp, "/auth/login", method="POST", auth=None, body=StaffLoginSchema,
          response=StaffTokenSchema, summary="管理后台登录：用户名、密码（及动态验证码）",
          errors=("auth.bad_credentials", "auth.locked", "auth.not_staff", "auth.otp_required",
                  "auth.bad_otp"))
def login(data):
    settings = _settings()
    result = staff.staff_login(data["username"], data["password"], data["otp"],
                               ttl_seconds=settings.staff_token_ttl_seconds, **_limits())
    return {"token": result.token, "token_type": "Bearer",
            "expires_in": settings.staff_token_ttl_seconds,
            "idle_timeout": settings.staff_idle_timeout_seconds}


@endpoint(bp, "/auth/logout", method="POST", auth="staff", summary="退出管理后台（吊销当前令牌）")
def logout(actor):
    revoke_token(bearer_token())
    return None


@endpoint(bp, "/auth/totp/setup", method="POST", auth="staff", response=TotpSetupSchema,
          summary="开始设置动态验证码：生成待确认的密钥", errors=("auth.totp_already_enabled",))
def totp_setup(actor):
    return staff.begin_totp_setup(actor)


@endpoint(bp, "/auth/totp/confirm", method="POST", auth="staff", body=OtpSchema,
          summary="确认动态验证码：输入验证器中的验证码后启用",
          errors=("auth.totp_not_pending", "auth.bad_otp"))
def totp_confirm(actor, data):
    staff.confirm_totp(actor, data["otp"])
    return None


@endpoint(bp, "/auth/totp/disable", method="POST", auth="staff", body=TotpDisableSchema,
          summary="停用动态验证码（需要密码和当前验证码）",
          errors=("auth.totp_not_enabled", "auth.bad_password", "auth.bad_otp", "auth.locked"))
def totp_disable(actor, data):
    staff.disable_totp(actor, data["password"], data["otp"], **_limits())
    return None


@endpoint(bp, "/auth/password", method="POST", auth="staff", body=PasswordChangeSchema,
          summary="修改密码（所有登录随之失效，需重新登录）",
          errors=("auth.bad_password", "auth.locked", "password.unchanged",
                  "password.too_short", "password.too_simple"))
def change_password(actor, data):
    staff.change_password(actor, data["old_password"], data["new_password"], **_limits())
    return None


@endpoint(bp, "/me", auth="staff", response=StaffProfileSchema,
          summary="当前工作人员的资料和角色授权")
def me(actor):
    return staff.get_staff_profile(actor)
