"""msgSecCheck v2 through the WeChat gateway (implements ``app.content.ContentChecker``).

Text without an openid (staff entries) falls back to the local word list, since v2 requires
the openid of a user who visited the mini-program within two hours.
"""

from __future__ import annotations

from app.content import PASS, RISKY, WordListChecker


class WeChatContentChecker:
    def __init__(self, gateway, fallback: WordListChecker | None = None):
        self.gateway = gateway
        self.fallback = fallback or WordListChecker()

    def check_text(self, text: str, *, openid: str | None, scene: int) -> str:
        if not openid:
            return self.fallback.check_text(text, openid=None, scene=scene)
        result = self.gateway.post("msg_sec_check", "wxa/msg_sec_check", {
            "content": text, "version": 2, "scene": scene, "openid": openid})
        suggest = (result.get("result") or {}).get("suggest", PASS)
        return suggest if suggest in ("pass", "review", "risky") else RISKY
