"""A fake WeChat server: the endpoints we call, answering in WeChat's formats and error codes.

Used two ways with the same logic: mounted on the wechatpy client's HTTP session in
``WECHAT_MODE=fake`` (development, ``make run``), and behind ``responses`` callbacks in tests,
where the real client code runs unchanged against it.

Login codes: :meth:`FakeWeChat.issue_login_code` mints a real-looking single-use code that
expires after 5 minutes (replay → 40163, stale or unknown → 40029). ``test:<openid>`` codes are
accepted in development so a developer can log in with curl.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter

CODE_TTL = 300


class FakeWeChat:
    """State and handlers of the fake. Thread-safe; ``now`` is injectable for expiry tests."""

    def __init__(self, appid: str, secret: str, *, allow_test_codes: bool = True, now=time.time):
        self.appid, self.secret = appid, secret
        self.allow_test_codes = allow_test_codes
        self.now = now
        self._lock = threading.Lock()
        self.login_codes: dict[str, dict] = {}
        self.phone_codes: dict[str, dict] = {}
        self.unionids: dict[str, str] = {}
        self.blocked: set[str] = set()
        self.tokens: dict[str, float] = {}
        self.current_token: str | None = None
        self.token_fetches = 0
        self.injected: dict[str, list[int]] = {}
        self.calls: list[tuple[str, str]] = []
        self.risky_words = ("赌博", "枪支", "毒品")
        self.review_words = ("上访", "维权")
        self.sent_messages: list[dict] = []

    # -- test controls -------------------------------------------------------------------
    def issue_login_code(self, openid: str, unionid: str | None = None) -> str:
        code = secrets.token_hex(16)
        with self._lock:
            self.login_codes[code] = {"openid": openid, "at": self.now(), "used": False}
            if unionid:
                self.unionids[openid] = unionid
        return code

    def issue_phone_code(self, phone: str) -> str:
        code = secrets.token_hex(16)
        with self._lock:
            self.phone_codes[code] = {"phone": phone, "at": self.now(), "used": False}
        return code

    def inject_error(self, path: str, errcode: int, times: int = 1) -> None:
        """Make the next ``times`` calls to ``path`` fail with ``errcode``."""
        self.injected.setdefault(path, []).extend([errcode] * times)

    def expire_tokens(self) -> None:
        """Simulate WeChat expiring every access token (next call → 42001)."""
        with self._lock:
            for token in self.tokens:
                self.tokens[token] = 0

    # -- dispatch ------------------------------------------------------------------------
    def handle(self, method: str, url: str, body: bytes | str | None) -> tuple[int, dict]:
        parts = urlsplit(url)
        path = parts.path.lstrip("/")
        query = dict(parse_qsl(parts.query))
        payload = {}
        if body:
            try:
                payload = json.loads(body if isinstance(body, str) else body.decode("utf-8"))
            except ValueError:
                return 200, {"errcode": 47001, "errmsg": "data format error"}
        self.calls.append((method.upper(), path))
        if self.injected.get(path):
            errcode = self.injected[path].pop(0)
            return 200, {"errcode": errcode, "errmsg": _ERRMSG.get(errcode, "error")}
        handler = _ROUTES.get(path)
        if handler is None:
            return 404, {"errcode": 404, "errmsg": "not found"}
        with self._lock:
            return 200, handler(self, query, payload)

    def _check_token(self, query: dict) -> dict | None:
        token = query.get("access_token")
        if token not in self.tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if self.tokens[token] <= self.now():
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def _jscode2session(self, query: dict, payload: dict) -> dict:
        if query.get("appid") != self.appid:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        code = query.get("js_code", "")
        if self.allow_test_codes and code.startswith("test:") and len(code) > 5:
            openid = code[5:]
        else:
            entry = self.login_codes.get(code)
            if entry is None or self.now() - entry["at"] > CODE_TTL:
                return {"errcode": 40029, "errmsg": "invalid code"}
            if entry["used"]:
                return {"errcode": 40163, "errmsg": "code been used"}
            entry["used"] = True
            openid = entry["openid"]
        if openid in self.blocked:
            return {"errcode": 40226, "errmsg": "user is blocked"}
        result = {"openid": openid, "session_key": secrets.token_urlsafe(18)}
        if openid in self.unionids:
            result["unionid"] = self.unionids[openid]
        return result

    def _stable_token(self, query: dict, payload: dict) -> dict:
        if payload.get("appid") != self.appid:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if payload.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        self.token_fetches += 1
        live = self.current_token and self.tokens.get(self.current_token, 0) > self.now()
        if payload.get("force_refresh") or not live:
            self.current_token = "fake-token-" + secrets.token_hex(12)
            self.tokens[self.current_token] = self.now() + 7200
        return {"access_token": self.current_token,
                "expires_in": int(self.tokens[self.current_token] - self.now())}

    def _phone(self, query: dict, payload: dict) -> dict:
        error = self._check_token(query)
        if error:
            return error
        entry = self.phone_codes.get(payload.get("code", ""))
        if entry is None or entry["used"] or self.now() - entry["at"] > CODE_TTL:
            return {"errcode": 40029, "errmsg": "invalid code"}
        entry["used"] = True
        phone = entry["phone"]
        return {"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
            "watermark": {"timestamp": int(self.now()), "appid": self.appid}}}

    def _msg_sec_check(self, query: dict, payload: dict) -> dict:
        error = self._check_token(query)
        if error:
            return error
        if payload.get("version") != 2 or not payload.get("openid"):
            return {"errcode": 40003, "errmsg": "invalid openid"}
        content = payload.get("content", "")
        suggest, label = "pass", 100
        if any(word in content for word in self.risky_words):
            suggest, label = "risky", 20001
        elif any(word in content for word in self.review_words):
            suggest, label = "review", 20002
        return {"errcode": 0, "errmsg": "ok", "trace_id": secrets.token_hex(8),
                "result": {"suggest": suggest, "label": label},
                "detail": [{"strategy": "content_model", "errcode": 0,
                            "suggest": suggest, "label": label}]}

    def _subscribe_send(self, query: dict, payload: dict) -> dict:
        error = self._check_token(query)
        if error:
            return error
        for key, item in (payload.get("data") or {}).items():
            value = str(item.get("value", ""))
            limit = _FIELD_LIMITS.get(re.sub(r"\d+$", "", key))
            if limit and len(value) > limit:
                return {"errcode": 47003, "errmsg": f"argument invalid! data.{key}.value"}
        self.sent_messages.append(payload)
        return {"errcode": 0, "errmsg": "ok", "msgid": len(self.sent_messages)}


_FIELD_LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10,
                 "phone_number": 17, "car_number": 8}
_ERRMSG = {-1: "system error", 40001: "invalid credential", 42001: "access_token expired",
           45011: "api minute-quota reach limit  mustslower  retry next minute",
           40226: "user is blocked", 40029: "invalid code", 43101: "user refuse to accept the msg"}
_ROUTES = {
    "sns/jscode2session": FakeWeChat._jscode2session,
    "cgi-bin/stable_token": FakeWeChat._stable_token,
    "wxa/business/getuserphonenumber": FakeWeChat._phone,
    "wxa/msg_sec_check": FakeWeChat._msg_sec_check,
    "cgi-bin/message/subscribe/send": FakeWeChat._subscribe_send,
}


class FakeWeChatAdapter(BaseAdapter):
    """A requests transport adapter that answers from a :class:`FakeWeChat` in-process."""

    def __init__(self, fake: FakeWeChat):
        super().__init__()
        self.fake = fake

    def send(self, request, **kwargs):
        status, body = self.fake.handle(request.method, request.url, request.body)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response.headers["Content-Type"] = "application/json; encoding=utf-8"
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        return None


def install_responses(rsps, fake: FakeWeChat, api_base: str = "https://api.weixin.qq.com/"):
    """Route ``api_base`` through ``fake`` on a ``responses.RequestsMock`` (tests)."""

    def callback(request):
        status, body = fake.handle(request.method, request.url, request.body)
        return status, {"Content-Type": "application/json"}, json.dumps(body, ensure_ascii=False)

    pattern = re.compile(re.escape(api_base) + r".*")
    for method in ("GET", "POST"):
        rsps.add_callback(method, pattern, callback=callback)
