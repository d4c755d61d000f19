"""Mini-program login, phone binding, logout and the caller's profile (``/api/v1``)."""

from flask import Blueprint, current_app

from app.accounts import services as accounts
from app.accounts.tokens import revoke_token
from miniprogram_api.api import endpoint
from miniprogram_api.auth import bearer_token
from miniprogram_api.schemas.accounts import (
    PhoneBoundSchema,
    PhoneCodeSchema,
    ProfileSchema,
    TokenSchema,
    WxLoginSchema,
)

bp = Blueprint("auth", __name__, url_prefix="/api/v1")


def _settings():
    return current_app.config["LINLI_SETTINGS"]


@endpoint(bp, "/auth/wx-login", method="POST", auth=None, body=WxLoginSchema,
          response=TokenSchema, summary="微信登录：用 wx.login 的 code 换取令牌",
          errors=("auth.invalid_code", "auth.code_used", "auth.rate_limited",
                  "auth.user_blocked", "wechat.busy"))
def wx_login(data):
    ttl = _settings().token_ttl_seconds
    result = accounts.login_with_wechat(current_app.extensions["wechat"], data["code"],
                                        ttl_seconds=ttl)
    return {"token": result.token, "token_type": "Bearer", "expires_in": ttl,
            "new_user": result.created}


@endpoint(bp, "/auth/phone", method="POST", body=PhoneCodeSchema, response=PhoneBoundSchema,
          summary="绑定手机号（getPhoneNumber 的 code）",
          errors=("phone.taken", "auth.invalid_code"))
def bind_phone(actor, data):
    user = accounts.bind_phone(actor, current_app.extensions["wechat"], data["code"])
    return {"phone_masked": user.phone_masked}


@endpoint(bp, "/auth/logout", method="POST", summary="退出登录（吊销当前令牌）")
def logout(actor):
    revoke_token(bearer_token())
    return None


@endpoint(bp, "/me", response=ProfileSchema, summary="我的资料、住户绑定和角色授权")
def me(actor):
    return accounts.get_profile(actor)
