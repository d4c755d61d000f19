"""The WeChat edge: a wechatpy client, the shared access-token store, and a fake WeChat.

``build_gateway(settings)`` is what composition roots call. In ``WECHAT_MODE=fake`` the client's
HTTP session is wired to an in-process :class:`FakeWeChat` that answers in WeChat's formats, so
development needs no credentials and no network.
"""

from miniprogram_api.wechat.gateway import WeChatApiGateway, build_gateway

__all__ = ["WeChatApiGateway", "build_gateway"]
