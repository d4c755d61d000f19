"""The WeChat gateway used by services (see ``app.ports.WeChatGateway``).

Calls go through a wechatpy client. Two deliberate departures from wechatpy's defaults:

* ``jscode2session`` authenticates with appid+secret, not an access token; wechatpy's
  ``code_to_session`` would fetch a token first (a second HTTP call, and a token fetch on every
  login). Passing the query as a list of pairs makes wechatpy's ``_request`` skip the token.
* Access tokens come from ``cgi-bin/stable_token`` (stable across callers, so many processes do
  not invalidate each other) and are refreshed once, with ``force_refresh``, on 40001/42001.

The WeChat ``session_key`` is dropped here and never logged or returned.
"""

from __future__ import annotations

import logging
import time

import requests
from wechatpy.client.base import BaseWeChatClient
from wechatpy.exceptions import WeChatClientException

from app.errors import Forbidden, RateLimited, ServiceUnavailable, Unauthorized
from app.ports import WxSession
from miniprogram_api.wechat.token_store import build_storage

log = logging.getLogger("linli.wechat")
TOKEN_ERRORS = (40001, 42001)


class LinliWeChatClient(BaseWeChatClient):
    """A wechatpy client that fetches its token from the stable-token endpoint."""

    def __init__(self, appid: str, secret: str, *, api_base: str, session, timeout: float = 5):
        super().__init__(appid, session=session, timeout=timeout, auto_retry=False)
        self.secret = secret
        self.API_BASE_URL = api_base

    def fetch_access_token(self, force_refresh: bool = False):
        res = self._http.post(
            f"{self.API_BASE_URL}cgi-bin/stable_token",
            json={"grant_type": "client_credential", "appid": self.appid,
                  "secret": self.secret, "force_refresh": force_refresh},
            timeout=self.timeout,
        )
        result = self._handle_result(res)
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], expires_in)
        self.expires_at = int(time.time()) + expires_in
        return result


_LOGIN_ERRORS = {
    40029: (Unauthorized, "auth.invalid_code", "登录凭证无效或已过期，请重新打开小程序", False),
    40163: (Unauthorized, "auth.code_used", "登录凭证已使用，请重新打开小程序", False),
    45011: (RateLimited, "auth.rate_limited", "登录太频繁，请稍后再试", True),
    40226: (Forbidden, "auth.user_blocked", "该微信账号暂时无法登录，请联系社区工作人员", False),
    -1: (ServiceUnavailable, "wechat.busy", "微信服务繁忙，请稍后再试", True),
}


def map_wechat_error(exc: WeChatClientException, *, context: str):
    """Turn a WeChat errcode into a domain error with a stable code and a Chinese message."""
    errcode = exc.errcode
    if errcode in _LOGIN_ERRORS:
        cls, code, message, retryable = _LOGIN_ERRORS[errcode]
        details = {"wechat_errcode": errcode, "retryable": retryable}
        if cls is ServiceUnavailable:
            return cls(code, message, details=details, retryable=retryable)
        return cls(code, message, details=details)
    log.warning("wechat %s failed errcode=%s", context, errcode)
    return ServiceUnavailable("wechat.error", "微信服务返回错误，请稍后再试",
                              details={"wechat_errcode": errcode}, retryable=False)


def _unreachable() -> ServiceUnavailable:
    return ServiceUnavailable("wechat.unreachable", "暂时连不上微信服务，请稍后再试")


class WeChatApiGateway:
    """Implements ``app.ports.WeChatGateway`` over a :class:`LinliWeChatClient`."""

    def __init__(self, client: LinliWeChatClient):
        self.client = client

    def _call(self, context: str, fn):
        try:
            return fn()
        except WeChatClientException as exc:
            if exc.errcode is None:
                raise _unreachable() from exc
            raise map_wechat_error(exc, context=context) from exc
        except requests.RequestException as exc:
            raise _unreachable() from exc

    def with_token(self, context: str, fn):
        """Call ``fn`` (which uses the access token); on 40001/42001 refresh once and retry."""

        def attempt():
            try:
                return fn()
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_ERRORS:
                    raise
                log.info("wechat access token rejected (errcode=%s); refreshing once",
                         exc.errcode)
                self.client.fetch_access_token(force_refresh=True)
                return fn()

        return self._call(context, attempt)

    def code_to_session(self, code: str) -> WxSession:
        params = [("appid", self.client.appid), ("secret", self.client.secret),
                  ("js_code", code), ("grant_type", "authorization_code")]
        result = self._call("jscode2session",
                            lambda: self.client.get("sns/jscode2session", params=params))
        return WxSession(openid=result["openid"], unionid=result.get("unionid") or None)

    def phone_number(self, code: str) -> str:
        result = self.with_token("getuserphonenumber", lambda: self.client.post(
            "wxa/business/getuserphonenumber", data={"code": code}))
        return result["phone_info"]["purePhoneNumber"]

    def post(self, context: str, endpoint: str, data: dict) -> dict:
        """Any token-authenticated JSON POST (msg_sec_check, subscribe/send, …)."""
        return self.with_token(context, lambda: self.client.post(endpoint, data=data))


def build_gateway(settings, *, fake=None) -> WeChatApiGateway:
    """The gateway for ``settings``; in fake mode wired to ``fake`` (or a new FakeWeChat)."""
    client = LinliWeChatClient(settings.wechat_appid, settings.wechat_secret,
                               api_base=settings.wechat_api_base,
                               session=build_storage(settings.redis_url))
    if settings.wechat_mode == "fake":
        from miniprogram_api.wechat.fake import FakeWeChat, FakeWeChatAdapter

        fake = fake or FakeWeChat(settings.wechat_appid, settings.wechat_secret)
        client._http.mount(settings.wechat_api_base, FakeWeChatAdapter(fake))
        client.fake = fake
    return WeChatApiGateway(client)
