"""Pure rules of requests: the state machine, time limits, mediation colours. No database.

Each action names the states it may start from and the state it leads to. ``next_state`` is
the single gate: anything not in the table raises ``request.illegal_transition`` with the
current state and action, so an illegal move can never be half-applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

TYPES = ("consultation", "help", "complaint", "suggestion", "mediation", "emergency")
TYPE_NAMES = {"consultation": "咨询", "help": "求助", "complaint": "投诉", "suggestion": "建议",
              "mediation": "矛盾纠纷", "emergency": "紧急"}
# "open311": submitted by an integrating organisation through the GeoReport v2 API.
CHANNELS = ("mini_program", "group_bot", "phone", "walk_in", "staff_entry", "open311")
STATES = ("submitted", "accepted", "dispatched", "in_progress", "waiting_for_resident",
          "returned", "resolved", "reopened", "closed", "merged_duplicate", "cancelled")
STATE_NAMES = {
    "submitted": "已提交", "accepted": "已受理", "dispatched": "已分办", "in_progress": "办理中",
    "waiting_for_resident": "等待居民补充", "returned": "已退单待重新分办", "resolved": "已办结",
    "reopened": "重新办理", "closed": "已销号", "merged_duplicate": "已合并",
    "cancelled": "已撤回",
}
TERMINAL = frozenset({"closed", "merged_duplicate", "cancelled"})
# The resolution clock runs in these states (paused while waiting for the resident).
CLOCK_RUNNING = frozenset({"dispatched", "in_progress", "returned"})
OPEN_FOR_HANDLING = frozenset({"dispatched", "in_progress"})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the state does not change (extension, mediation, follow-up)
    label: str  # plain Chinese for the resident's timeline


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({"submitted"}), "accepted", "工作人员已受理"),
    "dispatch": Transition(frozenset({"accepted", "returned", "reopened"}), "dispatched",
                           "已分派给承办单位"),
    "start": Transition(frozenset({"dispatched"}), "in_progress", "承办单位开始办理"),
    "return": Transition(frozenset({"dispatched", "in_progress"}), "returned",
                         "承办单位退回，等待重新分派"),
    "transfer": Transition(frozenset({"dispatched", "in_progress"}), "dispatched",
                           "已转交其他单位办理"),
    "request_extension": Transition(frozenset({"dispatched", "in_progress"}), None,
                                    "承办单位申请延期"),
    "approve_extension": Transition(frozenset({"dispatched", "in_progress",
                                               "waiting_for_resident"}), None, "延期申请已批准"),
    "reject_extension": Transition(frozenset({"dispatched", "in_progress",
                                              "waiting_for_resident"}), None, "延期申请未批准"),
    "wait_for_resident": Transition(frozenset({"in_progress"}), "waiting_for_resident",
                                    "需要您补充情况，办理时限暂停计算"),
    "resume": Transition(frozenset({"waiting_for_resident"}), "in_progress",
                         "已收到补充情况，继续办理"),
    "resolve": Transition(frozenset({"in_progress"}), "resolved", "已办结，请您评价"),
    "rate": Transition(frozenset({"resolved"}), "closed", "居民已评价，诉求销号"),
    "reopen": Transition(frozenset({"resolved"}), "reopened", "居民不满意，申请重新办理"),
    "expire_rating": Transition(frozenset({"resolved"}), "closed", "7 天未评价，按未评价销号"),
    "merge": Transition(frozenset({"submitted", "accepted"}), "merged_duplicate",
                        "与相同诉求合并办理"),
    "cancel": Transition(frozenset({"submitted"}), "cancelled", "居民已撤回"),
    "mediate": Transition(frozenset({"accepted", "dispatched", "in_progress",
                                     "waiting_for_resident"}), None, "调解进展更新"),
    "note": Transition(frozenset(STATES) - TERMINAL, None, "办理进展"),
    "visit": Transition(frozenset({"resolved", "closed"}), None, "已回访"),
}


def next_state(current: str, action: str) -> str:
    """The state after ``action`` from ``current``; raises request.illegal_transition."""
    transition = TRANSITIONS.get(action)
    if transition is None or current not in transition.sources:
        raise Conflict("request.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return transition.target or current


# What the submitter themselves may do; every other action is staff's or the system's.
RESIDENT_ACTIONS = frozenset({"cancel", "rate", "reopen", "resume"})


def allowed_actions(current: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if current in t.sources]


# Default limits in working days (a common 12345 rule set, DOMAIN.md). 0 = the same day.
DEFAULT_RESOLVE_DAYS = {"emergency": 0, "consultation": 3, "help": 3, "complaint": 13,
                        "suggestion": 13, "mediation": 13}
DEFAULT_ACCEPT_DAYS = 1
MAX_REOPENS = 1
RATING_WINDOW_DAYS = 7
RATINGS = ("satisfied", "basically", "unsatisfied")
RATING_NAMES = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意",
                "none": "未评价"}


def resolve_days(request_type: str, overrides: dict[str, int] | None = None) -> int:
    if overrides and request_type in overrides:
        return overrides[request_type]
    return DEFAULT_RESOLVE_DAYS[request_type]


def check_can_reopen(reopen_count: int) -> None:
    if reopen_count >= MAX_REOPENS:
        raise Conflict("request.reopen_limit", "该诉求已重新办理过一次，如仍有问题请联系工作人员")


# Escalation ladder per deadline: each level is reached at most once for a given deadline.
LEVEL_NONE, LEVEL_REMINDED, LEVEL_URGED, LEVEL_ESCALATED, LEVEL_JOINT = 0, 1, 2, 3, 4
LEVEL_NAMES = {0: "正常", 1: "临期提醒", 2: "超期催办", 3: "提级督办", 4: "联合督办"}


def due_escalation_level(*, level: int, now, deadline, remind_before, escalate_after,
                         hard: bool) -> int | None:
    """The next level due at ``now`` for the current deadline, or None if nothing is due.

    Pure: times are comparable datetimes; ``remind_before``/``escalate_after`` are timedeltas.
    Levels are taken one step at a time so every step happens (and is notified) once.
    """
    if level == LEVEL_NONE and now >= deadline - remind_before:
        return LEVEL_REMINDED
    if level == LEVEL_REMINDED and now >= deadline:
        return LEVEL_URGED
    if level == LEVEL_URGED and now >= deadline + escalate_after:
        return LEVEL_ESCALATED
    if level == LEVEL_ESCALATED and hard:
        return LEVEL_JOINT
    return None


def next_due_at(*, status: str, level: int, deadline, remind_before, escalate_after,
                hard: bool, now, resolved_at=None, rating_window=None):
    """When the scheduler must next look at a request (None: not until something changes).

    Before dispatch the current deadline is the acceptance deadline, after it the resolution
    deadline. Paused and finished requests have nothing due; a resolved one is due when its
    rating window ends.
    """
    if status == "resolved" and resolved_at is not None and rating_window is not None:
        return resolved_at + rating_window
    if status in TERMINAL or status in ("resolved", "waiting_for_resident") or deadline is None:
        return None
    if level == LEVEL_NONE:
        return deadline - remind_before
    if level == LEVEL_REMINDED:
        return deadline
    if level == LEVEL_URGED:
        return deadline + escalate_after
    if level == LEVEL_ESCALATED and hard:
        return now
    return None


# Mediation (一码解纠纷): five colour codes and their moves.
MEDIATION_CODES = ("yellow", "orange", "blue", "red", "green")
MEDIATION_NAMES = {"yellow": "黄码·首次受理", "orange": "橙码·二次调解", "blue": "蓝码·诉调对接",
                   "red": "红码·调解失败", "green": "绿码·调解成功"}
MEDIATION_MOVES = {"yellow": {"orange", "green"}, "orange": {"blue", "green", "red"},
                   "blue": {"green", "red"}, "red": set(), "green": set()}


def next_mediation_code(current: str | None, target: str) -> str:
    if target not in MEDIATION_CODES:
        raise InvalidInput("request.bad_mediation_code", "未知的调解码")
    if target not in MEDIATION_MOVES.get(current or "", set()):
        raise Conflict("request.illegal_mediation_move",
                       f"调解码不能从{MEDIATION_NAMES.get(current or '', '无')}改为"
                       f"{MEDIATION_NAMES[target]}", {"from": current, "to": target})
    return target


def tracking_number(local_date, seq: int) -> str:
    """Human-readable tracking number, e.g. ``R20261122-0007``."""
    return f"R{local_date:%Y%m%d}-{seq:04d}"
