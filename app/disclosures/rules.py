"""Pure rules of disclosures: kinds, categories, periods, the review workflow. No database.

Kinds follow 村民委员会组织法 §30 and the party-affairs rules: 村务 (affairs), 党务 (party),
财务 (finance). Finance categories are the items of 农村集体经济组织财务公开规定 §7 (财务计划,
各项收入, 各项支出, 各项资产, 各类资源, 债权债务, 收益分配, 其他), plus ``income_expense``
for the usual combined 收支明细 (items 2 and 3 together, as the 三资 ledger publishes them).

The workflow is draft → submitted → reviewed → published. ``next_state`` is the single gate of
every status change; a published disclosure accepts no action at all (it is immutable, a
correction is a new disclosure pointing at it). Discarding is possible only before publication.

Periods name what a disclosure covers: ``2026`` (a year), ``2026-Q4`` (a quarter), ``2026-11``
(a month) or ``2026-11-23`` (a day: a one-off matter). The cadence of required disclosures
(:mod:`app.disclosures.cadence_rules`) uses the month and quarter keys.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

KINDS = ("affairs", "party", "finance")
KIND_NAMES = {"affairs": "村务公开", "party": "党务公开", "finance": "财务公开"}

CATEGORIES: dict[str, dict[str, str]] = {
    "affairs": {
        "decisions": "村民会议、村民代表会议决定事项及实施情况",
        "relief_subsidies": "救灾救助、补贴补助资金物资管理使用",
        "government_tasks": "协助人民政府开展工作情况",
        "projects": "村级工程项目",
        "other": "村民普遍关心的其他事项",
    },
    "party": {
        "organisation": "组织建设",
        "membership": "党员发展与管理",
        "dues": "党费收缴使用管理",
        "activities": "三会一课与主题党日",
        "other": "其他党务事项",
    },
    "finance": {
        "plan": "财务计划",
        "income": "各项收入",
        "expense": "各项支出",
        "income_expense": "各项收入与支出（收支明细）",
        "assets": "各项资产",
        "resources": "各类资源",
        "debts": "债权债务",
        "distribution": "收益分配",
        "other": "其他需要公开的财务事项",
    },
}

STATES = ("draft", "submitted", "reviewed", "published", "discarded")
STATE_NAMES = {"draft": "草稿", "submitted": "待审核", "reviewed": "已审核",
               "published": "已公开", "discarded": "已作废"}

TITLE_MAX = 100
# A published disclosure goes on the transparency log whole; a leaf is at most 64 KiB, so the
# body is capped well below that in UTF-8 (3 bytes per Chinese character).
BODY_MAX = 10_000
NOTE_MAX = 500
QUESTION_MAX = 500
ANSWER_MAX = 2_000
MAX_PHOTOS = 9
MATTER_KEY = re.compile(r"^[a-z_]{1,24}:[0-9]{1,12}$")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change


TRANSITIONS: dict[str, Transition] = {
    "update": Transition(frozenset({"draft"}), None),
    "submit": Transition(frozenset({"draft"}), "submitted"),
    "approve": Transition(frozenset({"submitted"}), "reviewed"),
    "return": Transition(frozenset({"submitted", "reviewed"}), "draft"),
    "publish": Transition(frozenset({"reviewed"}), "published"),
    "discard": Transition(frozenset({"draft", "submitted", "reviewed"}), "discarded"),
}


def next_state(current: str, action: str) -> str:
    """The status after ``action`` from ``current``; raises disclosure.illegal_transition."""
    transition = TRANSITIONS.get(action)
    if transition is None or current not in transition.sources:
        if current == "published":
            raise Conflict("disclosure.published_immutable",
                           "已公开的内容不能修改，如有错误请发布更正",
                           {"state": current, "action": action})
        raise Conflict("disclosure.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return transition.target or current


def allowed_actions(current: str) -> list[str]:
    actions = [name for name, t in TRANSITIONS.items() if current in t.sources]
    return actions + (["correct"] if current == "published" else [])


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("disclosure.bad_kind", "请选择村务公开、党务公开或财务公开")
    return kind


def check_category(kind: str, category: str) -> str:
    if category not in CATEGORIES[check_kind(kind)]:
        raise InvalidInput("disclosure.bad_category", f"{KIND_NAMES[kind]}没有这个类别",
                           {"categories": list(CATEGORIES[kind])})
    return category


_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")


def check_period(period: str) -> str:
    """A year, quarter, month or day key (see the module docstring)."""
    period = (period or "").strip()
    match = _PERIOD.match(period)
    valid = match is not None and 2000 <= int(match.group(1)) <= 2100
    if valid and match.group(3):
        valid = 1 <= int(match.group(3)) <= 12
        if valid and match.group(4):
            try:
                dt.date.fromisoformat(period)
            except ValueError:
                valid = False
    if not valid:
        raise InvalidInput("disclosure.bad_period",
                           "公开期间请写成 2026、2026-Q4、2026-11 或 2026-11-23")
    return period


def check_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput("disclosure.bad_title", f"标题不能为空，且不超过 {TITLE_MAX} 个字")
    if not body or len(body) > BODY_MAX:
        raise InvalidInput("disclosure.bad_body", f"正文不能为空，且不超过 {BODY_MAX} 个字")
    return title, body


def check_note(note: str, *, required: bool, code: str = "disclosure.reason_required") -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput(code, "请填写理由")
    if len(note) > NOTE_MAX:
        raise InvalidInput("disclosure.note_too_long", f"不超过 {NOTE_MAX} 个字")
    return note


def check_matter_key(matter_key: str | None) -> str | None:
    if matter_key is None:
        return None
    if not MATTER_KEY.match(matter_key):
        raise ValueError(f"malformed matter key {matter_key!r}")
    return matter_key


QUESTION_KINDS = ("question", "objection")
QUESTION_KIND_NAMES = {"question": "提问", "objection": "异议"}


def check_question(kind: str, text: str) -> tuple[str, str]:
    if kind not in QUESTION_KINDS:
        raise InvalidInput("disclosure.bad_question_kind", "请选择提问或提出异议")
    text = (text or "").strip()
    if len(text) < 5 or len(text) > QUESTION_MAX:
        raise InvalidInput("disclosure.bad_question",
                           f"请用 5 到 {QUESTION_MAX} 个字写下您的问题或异议")
    return kind, text


def check_answer(answer: str, public_question: str) -> tuple[str, str]:
    answer, public_question = (answer or "").strip(), (public_question or "").strip()
    if not answer or len(answer) > ANSWER_MAX:
        raise InvalidInput("disclosure.bad_answer", f"答复不能为空，且不超过 {ANSWER_MAX} 个字")
    if not public_question or len(public_question) > QUESTION_MAX:
        raise InvalidInput("disclosure.bad_public_question",
                           f"公开的问题不能为空，且不超过 {QUESTION_MAX} 个字")
    return answer, public_question
