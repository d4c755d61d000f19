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
