"""Content security: the port services use to check residents' text before it is stored.

Live mode checks with WeChat's msgSecCheck v2 (``miniprogram_api.wechat.content``); fake mode's
fake WeChat answers from a local word list, and :class:`WordListChecker` serves text that has
no WeChat user behind it (staff entries, bot relays).
"""

from __future__ import annotations

from typing import Protocol

from app.errors import InvalidInput

PASS, REVIEW, RISKY = "pass", "review", "risky"
# msgSecCheck v2 scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志.
SCENE_PROFILE, SCENE_COMMENT, SCENE_FORUM, SCENE_SOCIAL = 1, 2, 3, 4


class ContentChecker(Protocol):
    def check_text(self, text: str, *, openid: str | None, scene: int) -> str:
        """Return ``pass``, ``review`` or ``risky``."""
        ...


class WordListChecker:
    """A local word list: risky words reject, review words hold the text for staff."""

    def __init__(self, risky: tuple[str, ...] = ("赌博", "枪支", "毒品"),
                 review: tuple[str, ...] = ()):
        self.risky, self.review = risky, review

    def check_text(self, text: str, *, openid: str | None, scene: int) -> str:
        if any(word in text for word in self.risky):
            return RISKY
        if any(word in text for word in self.review):
            return REVIEW
        return PASS


def screen_text(checker: ContentChecker, text: str, *, openid: str | None,
                scene: int = SCENE_FORUM) -> bool:
    """Check ``text``; raise content.risky for rejected text, return True when held for review."""
    verdict = checker.check_text(text, openid=openid, scene=scene)
    if verdict == RISKY:
        raise InvalidInput("content.risky", "内容含有不适宜发布的信息，请修改后再提交")
    return verdict == REVIEW
