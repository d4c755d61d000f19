"""Ports: what services need from the outside world, implemented at the edges.

The WeChat gateway lives in ``miniprogram_api.wechat`` (it uses wechatpy); services receive it
as an argument so the domain never imports wechatpy and tests can pass a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class WxSession:
    """The result of jscode2session. ``session_key`` is dropped at the edge on purpose."""

    openid: str
    unionid: str | None = None


class WeChatGateway(Protocol):
    """Calls into WeChat. Failures raise :mod:`app.errors` domain errors with stable codes."""

    def code_to_session(self, code: str) -> WxSession: ...

    def phone_number(self, code: str) -> str: ...


class NotificationSender(Protocol):
    """Delivers WeChat subscribe messages for the notifications outbox.

    ``data`` is ``{field_name: value}`` (e.g. ``{"thing3": "路灯已修好"}``); the implementation
    wraps it in WeChat's ``{"thing3": {"value": …}}`` shape. Failures raise :mod:`app.errors`
    domain errors whose ``details["wechat_errcode"]`` carries WeChat's code (43101 no
    subscription, 47003 field too long) and ``details["retryable"]`` whether a later try may
    succeed.
    """

    def send_subscribe(self, openid: str, template_id: str, data: dict[str, str],
                       page: str | None) -> None: ...
