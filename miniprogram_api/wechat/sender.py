"""Subscribe messages over the WeChat gateway: implements ``app.ports.NotificationSender``.

The request is WeChat's ``cgi-bin/message/subscribe/send`` format; the gateway adds the access
token (refreshing it once on 40001/42001) and turns WeChat errors into domain errors carrying
``details["wechat_errcode"]`` (43101 the user has no subscription left, 47003 a field is too
long), which the outbox job acts on.
"""

from __future__ import annotations

from miniprogram_api.wechat.gateway import WeChatApiGateway

ENDPOINT = "cgi-bin/message/subscribe/send"
STATES = ("developer", "trial", "formal")


class WeChatSender:
    """Sends one subscribe message per call; raises the gateway's domain errors."""

    def __init__(self, gateway: WeChatApiGateway, settings, *,
                 miniprogram_state: str | None = None):
        self.gateway = gateway
        # Which mini-program build a tap on the message opens.
        state = miniprogram_state or ("formal" if settings.is_production else "developer")
        if state not in STATES:
            raise ValueError(f"miniprogram_state must be one of {STATES}")
        self.miniprogram_state = state

    def send_subscribe(self, openid: str, template_id: str, data: dict[str, str],
                       page: str | None) -> None:
        payload = {
            "touser": openid,
            "template_id": template_id,
            "data": {name: {"value": str(value)} for name, value in data.items()},
            "miniprogram_state": self.miniprogram_state,
            "lang": "zh_CN",
        }
        if page:
            payload["page"] = page
        self.gateway.post("subscribe.send", ENDPOINT, payload)
