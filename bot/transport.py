"""The real WeCom sender behind ``app.bot.outbound.WeComSender``: HTTP with ``requests``.

Group robots: ``POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`` with a text
message; smart-bot response_urls: ``POST <response_url>`` with markdown; app messages through
wechatpy's WeCom client (it keeps the access token per corp and app). WeCom's JSON answer is
returned as is; a WeCom error inside wechatpy comes back in the same ``errcode`` shape. URLs
carry secrets (the robot key, the response_url's code) and are never logged.
"""

from __future__ import annotations

import threading

import requests

API_BASE = "https://qyapi.weixin.qq.com/"
TIMEOUT = (3.05, 5)


class HttpWeComSender:
    def __init__(self, api_base: str = API_BASE, session: requests.Session | None = None):
        self.api_base = api_base.rstrip("/") + "/"
        self.session = session or requests.Session()
        self._clients: dict[tuple[str, str], object] = {}
        self._lock = threading.Lock()

    def _post(self, url: str, payload: dict) -> dict:
        response = self.session.post(url, json=payload, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()

    def robot_send(self, webhook_key: str, text: str) -> dict:
        return self._post(f"{self.api_base}cgi-bin/webhook/send?key={webhook_key}",
                          {"msgtype": "text", "text": {"content": text}})

    def response_url_send(self, url: str, text: str) -> dict:
        return self._post(url, {"msgtype": "markdown", "markdown": {"content": text}})

    def _client(self, corp_id: str, secret: str):
        from wechatpy.work import WeChatClient

        with self._lock:
            client = self._clients.get((corp_id, secret))
            if client is None:
                client = WeChatClient(corp_id, secret, session=None, timeout=5)
                client.API_BASE_URL = f"{self.api_base}cgi-bin/"
                self._clients[(corp_id, secret)] = client
        return client

    def app_send(self, corp_id: str, secret: str, agent_id: str, touser: str,
                 text: str) -> dict:
        from wechatpy.exceptions import WeChatClientException

        try:
            return self._client(corp_id, secret).message.send_text(agent_id, touser, text)
        except WeChatClientException as exc:
            return {"errcode": exc.errcode, "errmsg": exc.errmsg}
