"""Pure rules of wishes: the state machine, name masking, categories and due times. No database.

``next_state`` is the single gate of every status change. An action not allowed from the
current state raises ``wish.illegal_transition``; claiming a wish somebody already holds
raises ``wish.already_claimed`` instead, the answer every losing claimant gets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

CATEGORIES = ("daily_help", "elderly_care", "children", "health", "repair", "companionship",
              "other")
CATEGORY_NAMES = {"daily_help": "生活帮助", "elderly_care": "助老助残", "children": "儿童关爱",
                  "health": "健康就医", "repair": "维修帮忙", "companionship": "陪伴聊天",
                  "other": "其他"}

STATES = ("submitted", "approved", "rejected", "claimed", "fulfilled", "confirmed",
          "withdrawn", "taken_down")
STATE_NAMES = {"submitted": "待审核", "approved": "待认领", "rejected": "未通过审核",
               "claimed": "已认领", "fulfilled": "已完成待确认", "confirmed": "心愿已实现",
               "withdrawn": "已撤回", "taken_down": "已下架"}
# Shown on the village wall and to the wisher's neighbours.
PUBLIC_STATES = frozenset({"approved", "claimed", "fulfilled", "confirmed"})
TERMINAL = frozenset({"rejected", "confirmed", "withdrawn", "taken_down"})
HELD_BY_CLAIMANT = frozenset({"claimed", "fulfilled", "confirmed"})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    label: str          # plain Chinese for the wish's history


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset(), "submitted", "心愿已提交，等待审核"),
    "approve": Transition(frozenset({"submitted"}), "approved", "审核通过，已上心愿墙"),
    "reject": Transition(frozenset({"submitted"}), "rejected", "审核未通过"),
    "claim": Transition(frozenset({"approved"}), "claimed", "心愿已被认领"),
    "release": Transition(frozenset({"claimed"}), "approved", "认领人放弃认领，心愿重新开放"),
    "expire_claim": Transition(frozenset({"claimed"}), "approved",
                               "认领超时未完成，心愿重新开放"),
    "fulfil": Transition(frozenset({"claimed"}), "fulfilled", "认领人已完成心愿，等待确认"),
    "confirm": Transition(frozenset({"fulfilled"}), "confirmed", "许愿人确认心愿已实现"),
    "auto_confirm": Transition(frozenset({"fulfilled"}), "confirmed",
                               "超过确认期限，系统自动确认心愿已实现"),
    "thank": Transition(frozenset({"confirmed"}), None, "许愿人写下感谢"),
    "withdraw": Transition(frozenset({"submitted", "approved", "claimed"}), "withdrawn",
                           "许愿人撤回了心愿"),
    "take_down": Transition(frozenset({"approved", "claimed", "fulfilled", "confirmed"}),
                            "taken_down", "工作人员下架了该心愿"),
}


def next_state(current: str, action: str) -> str:
    """The status after ``action`` from ``current``.

    Raises wish.already_claimed for a claim of a wish someone holds, wish.illegal_transition
    for any other move the table does not allow.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or current not in transition.sources:
        if action == "claim" and current in HELD_BY_CLAIMANT:
            raise Conflict("wish.already_claimed", "这个心愿已经被其他人认领了")
        raise Conflict("wish.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return transition.target or current


def allowed_actions(current: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if current in t.sources]


def mask_name(name: str | None) -> str:
    """A name as the wall shows it: the first character and then ``*`` or ``**``.

    One or two characters give one star (``张三`` → ``张*``), longer names two stars whatever
    their length (``张小明`` → ``张**``, ``欧阳娜娜`` → ``欧**``), so neither the other characters
    nor the length are revealed. Forms of address are masked alike (``张阿姨`` → ``张**``):
    the rule cannot tell a title from a given name. No name at all gives ``邻居``.
    """
    text = "".join((name or "").split())
    if not text:
        return "邻居"
    return text[0] + ("*" if len(text) <= 2 else "**")


# -- time limits --------------------------------------------------------------------------------

DEFAULT_CLAIM_DAYS = 7
DEFAULT_AUTO_CONFIRM_DAYS = 7
CLAIM_DAYS_RANGE = (1, 60)
AUTO_CONFIRM_DAYS_RANGE = (1, 30)


def claim_due_at(claimed_at: dt.datetime, claim_days: int,
                 deadline: dt.datetime | None) -> dt.datetime:
    """When an unfulfilled claim is released: ``claim_days`` after the claim, or the wish's own
    deadline when that comes first."""
    due = claimed_at + dt.timedelta(days=claim_days)
    return min(due, deadline) if deadline is not None else due


def confirm_due_at(fulfilled_at: dt.datetime, auto_confirm_days: int) -> dt.datetime:
    return fulfilled_at + dt.timedelta(days=auto_confirm_days)


def check_days(claim_days: int, auto_confirm_days: int) -> None:
    low, high = CLAIM_DAYS_RANGE
    if not low <= claim_days <= high:
        raise InvalidInput("wish.bad_claim_days", f"认领完成期限应在 {low} 到 {high} 天之间")
    low, high = AUTO_CONFIRM_DAYS_RANGE
    if not low <= auto_confirm_days <= high:
        raise InvalidInput("wish.bad_auto_confirm_days",
                           f"自动确认期限应在 {low} 到 {high} 天之间")


# -- what residents write -----------------------------------------------------------------------

TEXT_MIN, TEXT_MAX = 5, 500
NOTE_MAX = 500
MAX_PHOTOS = 6


def check_wish(category: str, text: str, deadline: dt.datetime | None,
               now: dt.datetime) -> str:
    if category not in CATEGORIES:
        raise InvalidInput("wish.bad_category", "请选择心愿类别")
    text = (text or "").strip()
    if len(text) < TEXT_MIN:
        raise InvalidInput("wish.text_too_short", f"请至少用 {TEXT_MIN} 个字描述您的心愿")
    if len(text) > TEXT_MAX:
        raise InvalidInput("wish.text_too_long", f"心愿描述不超过 {TEXT_MAX} 个字")
    if deadline is not None and deadline <= now:
        raise InvalidInput("wish.deadline_in_past", "期望完成时间须晚于现在")
    return text


def check_note(text: str, code: str, message: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(code, message)
    if len(text) > NOTE_MAX:
        raise InvalidInput(code, f"内容不超过 {NOTE_MAX} 个字")
    return text
