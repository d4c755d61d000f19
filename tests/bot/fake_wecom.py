"""A fake WeCom server for ``responses``: group-robot webhooks, response_urls, app messages.

Answers in WeCom's real formats (``{"errcode": 0, "errmsg": "ok"}``, ``{"errcode": 45009,
"errmsg": "api freq out of limit"}`` …) and enforces the robot limit itself, so a test fails if
our throttle lets a 21st message through within a minute. ``clock`` is the test's injected time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlparse

import responses

BASE = "https://qyapi.weixin.qq.com/"
LIMIT, MINUTE = 20, dt.timedelta(seconds=60)


class FakeWeCom:
    def __init__(self):
        self.clock: dt.datetime = dt.datetime(2026, 11, 23, 1, 0)
        self.robot_messages: list[tuple[str, dt.datetime, str]] = []  # (key, at, text)
        self.response_url_messages: list[str] = []
        self.app_messages: list[dict] = []
        self.valid_keys: set[str] = set()
        self.fail_next: list[dict] = []
        self.rejected_for_rate = 0

    def install(self, rsps: responses.RequestsMock) -> None:
        rsps.add_callback(responses.POST, re.compile(re.escape(BASE + "cgi-bin/webhook/send")),
                          callback=self._webhook)
        rsps.add_callback(responses.POST, re.compile(re.escape(BASE + "cgi-bin/aibot/response")),
                          callback=self._response_url)
        rsps.add_callback(responses.GET, re.compile(re.escape(BASE + "cgi-bin/gettoken")),
                          callback=lambda r: (200, {}, json.dumps(
                              {"errcode": 0, "errmsg": "ok", "access_token": "TOKEN",
                               "expires_in": 7200})))
        rsps.add_callback(responses.POST, re.compile(re.escape(BASE + "cgi-bin/message/send")),
                          callback=self._app_message)

    @staticmethod
    def _answer(errcode: int, errmsg: str):
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"errcode": errcode, "errmsg": errmsg})

    def _webhook(self, request):
        key = parse_qs(urlparse(request.url).query).get("key", [""])[0]
        if self.fail_next:
            failure = self.fail_next.pop(0)
            return self._answer(failure["errcode"], failure["errmsg"])
        if key not in self.valid_keys:
            return self._answer(93000, "invalid webhook url")
        payload = json.loads(request.body)
        text = payload["text"]["content"]
        if len(text.encode()) > 2048:
            return self._answer(40058, "content exceed max length 2048")
        recent = [at for k, at, _ in self.robot_messages if k == key
                  and at > self.clock - MINUTE]
        if len(recent) >= LIMIT:
            self.rejected_for_rate += 1
            return self._answer(45009, "api freq out of limit")
        self.robot_messages.append((key, self.clock, text))
        return self._answer(0, "ok")

    def _response_url(self, request):
        self.response_url_messages.append(json.loads(request.body)["markdown"]["content"])
        return self._answer(0, "ok")

    def _app_message(self, request):
        self.app_messages.append(json.loads(request.body))
        return 200, {}, json.dumps({"errcode": 0, "errmsg": "ok", "invaliduser": ""})
