"""WeChat subscribe-message templates we use, and WeChat's per-kind field limits.

A template is known here by a stable ``key`` (``request_progress``); the WeChat template id it
maps to is configuration (the environment variable named by ``setting``), because each
mini-program account picks its own templates in the WeChat console. Field names carry their
kind as a prefix (``thing3`` is a ``thing``), as WeChat names them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.clock import to_local

# Characters, not bytes: WeChat counts a Chinese character as one.
LIMITS = {
    "thing": 20,
    "name": 10,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "phrase": 5,
    "phone_number": 17,
    "car_number": 8,
}
ELLIPSIS = "…"
# Free text may end in an ellipsis; the other kinds only accept their own alphabet
# (a phrase is Chinese characters only), so they are cut without one.
_ELLIPSIS_KINDS = frozenset({"thing", "name"})


@dataclass(frozen=True)
class Template:
    key: str
    setting: str
    title: str
    fields: tuple[tuple[str, str], ...]

    @property
    def kinds(self) -> dict[str, str]:
        return dict(self.fields)


TEMPLATES: dict[str, Template] = {t.key: t for t in (
    Template("request_progress", "WECHAT_TEMPLATE_REQUEST_PROGRESS", "诉求办理进度提醒",
             (("character_string1", "character_string"), ("phrase2", "phrase"),
              ("thing3", "thing"))),
    Template("community_notice", "WECHAT_TEMPLATE_COMMUNITY_NOTICE", "社区通知提醒",
             (("thing1", "thing"), ("time2", "time"), ("thing3", "thing"))),
)}


def get_template(key: str) -> Template | None:
    return TEMPLATES.get(key)


def kind_of(field_name: str) -> str:
    """The kind WeChat encodes in a field name: ``thing3`` → ``thing``."""
    return re.sub(r"\d+$", "", field_name)


def fit_value(value: str, kind: str) -> str:
    """``value`` cut to WeChat's limit for ``kind`` (ending in '…' for free text)."""
    limit = LIMITS.get(kind)
    if limit is None or len(value) <= limit:
        return value
    if kind in _ELLIPSIS_KINDS:
        return value[:limit - 1] + ELLIPSIS
    return value[:limit]


def fit_fields(data: Mapping[str, str], kinds: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``data`` with every value within WeChat's limit for its field's kind.

    ``kinds`` maps field name → kind; fields it does not name take the kind from their name.
    Kinds without a length limit (time, date, amount) are left as they are.
    """
    kinds = kinds or {}
    return {name: fit_value(str(value), kinds.get(name) or kind_of(name))
            for name, value in data.items()}


def wechat_time(value: dt.datetime) -> str:
    """A stored naive-UTC time in the ``time`` field format, shown in Asia/Shanghai."""
    return to_local(value).strftime("%Y年%m月%d日 %H:%M")


def template_ids(config: Mapping[str, str]) -> dict[str, str]:
    """template key → WeChat template id, for the templates ``config`` configures.

    ``config`` is the environment (or any mapping of setting name → value); templates with no
    id configured are left out, and their notices end ``failed`` with a clear error code.
    """
    return {t.key: config[t.setting] for t in TEMPLATES.values() if config.get(t.setting)}
