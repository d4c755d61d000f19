"""Pure rules of 议事 consultations: the topic's workflow, comment moderation, the poll and its
count. No database.

Topic workflow: draft → scheduled (opens later) → open (discussion) → closed → decided (the
outcome is published); staff may withdraw a topic with a reason at any step before the outcome.
A comment is visible, held (the content check asked for review), pending_review (three
residents reported it) or hidden (by staff, with a reason the author is shown).

The poll is optional: ``single`` (one option) or ``multiple`` (one to ``max_choices``
options). Each resident has one answer, which they may change while the topic is open.
Results are shown ``live`` or only ``after_close`` (the default, so early counts do not sway
later voters); staff always see them. :func:`count_poll` is the only place votes are counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.errors import Conflict, InvalidInput

STATES = ("draft", "scheduled", "open", "closed", "decided", "withdrawn")
STATE_NAMES = {"draft": "草稿", "scheduled": "待开始", "open": "议事中", "closed": "已截止",
               "decided": "结果已公布", "withdrawn": "已撤回"}
# What residents of the region see; drafts and scheduled topics are staff work in progress.
PUBLIC_STATES = frozenset({"open", "closed", "decided", "withdrawn"})

TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "update": (frozenset({"draft"}), None),
    "schedule": (frozenset({"draft"}), "scheduled"),
    "open": (frozenset({"draft", "scheduled"}), "open"),
    "close": (frozenset({"open"}), "closed"),
    "decide": (frozenset({"closed"}), "decided"),
    "withdraw": (frozenset({"draft", "scheduled", "open", "closed"}), "withdrawn"),
}


def next_state(current: str, action: str) -> str:
    """The status after ``action``; consultation.illegal_transition when the table forbids it."""
    sources, target = TRANSITIONS.get(action, (frozenset(), None))
    if current not in sources:
        raise Conflict("consultation.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return target or current


def allowed_actions(current: str) -> list[str]:
    return [name for name, (sources, _) in TRANSITIONS.items() if current in sources]


# -- comments -----------------------------------------------------------------------------------

COMMENT_STATES = ("visible", "held", "pending_review", "hidden")
COMMENT_STATE_NAMES = {"visible": "已发布", "held": "待审核", "pending_review": "被举报待复核",
                       "hidden": "已隐藏"}
COMMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "hide": frozenset({"visible", "held", "pending_review"}),
    "restore": frozenset({"held", "pending_review", "hidden"}),
}
REPORTS_TO_HIDE = 3


def next_comment_state(current: str, action: str) -> str:
    if current not in COMMENT_TRANSITIONS.get(action, frozenset()):
        raise Conflict("consultation.comment_illegal_transition",
                       f"评论当前状态（{COMMENT_STATE_NAMES.get(current, current)}）"
                       "不能进行此操作", {"state": current, "action": action})
    return "hidden" if action == "hide" else "visible"


def hidden_by_reports(status: str, report_count: int, reviewed: bool) -> bool:
    """Whether a comment's reports now hide it pending review: a visible comment with
    REPORTS_TO_HIDE reports from distinct residents, unless staff already reviewed it (a
    comment staff restored is not hidden again by the same kind of reports)."""
    return status == "visible" and not reviewed and report_count >= REPORTS_TO_HIDE


# -- what staff and residents write ------------------------------------------------------------

TITLE_MAX, BACKGROUND_MAX, COMMENT_MAX, REASON_MAX, OUTCOME_MAX = 100, 10_000, 500, 500, 5_000
MAX_PHOTOS = 9


def check_text(text: str | None, code: str, message: str, *, maximum: int) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(code, message)
    if len(text) > maximum:
        raise InvalidInput(code, f"内容不超过 {maximum} 个字")
    return text


def check_topic(title: str, background: str) -> tuple[str, str]:
    return (check_text(title, "consultation.bad_title", "请填写议题标题", maximum=TITLE_MAX),
            check_text(background, "consultation.bad_background", "请填写议题的背景材料",
                       maximum=BACKGROUND_MAX))


def check_times(opens_at: dt.datetime | None, closes_at: dt.datetime, now: dt.datetime) -> None:
    """``closes_at`` must lie in the future and after ``opens_at`` (when one is set)."""
    if closes_at <= now:
        raise InvalidInput("consultation.closes_in_past", "截止时间须晚于现在")
    if opens_at is not None and opens_at >= closes_at:
        raise InvalidInput("consultation.bad_times", "开始时间须早于截止时间")


# -- the poll ------------------------------------------------------------------------------------

POLL_MODES = ("single", "multiple")
RESULT_VISIBILITY = ("after_close", "live")
OPTIONS_RANGE = (2, 20)
OPTION_MAX = 100


@dataclass(frozen=True)
class Poll:
    mode: str
    options: tuple[str, ...]
    max_choices: int
    results: str


def check_poll(mode: str, options: Sequence[str], max_choices: int | None,
               results: str) -> Poll:
    """A valid poll definition or InvalidInput (consultation.bad_poll)."""
    if mode not in POLL_MODES:
        raise InvalidInput("consultation.bad_poll", "请选择单选或多选")
    if results not in RESULT_VISIBILITY:
        raise InvalidInput("consultation.bad_poll", "请选择投票结果的公开方式")
    labels = tuple((label or "").strip() for label in options)
    low, high = OPTIONS_RANGE
    if not low <= len(labels) <= high:
        raise InvalidInput("consultation.bad_poll", f"投票选项应有 {low} 到 {high} 个")
    if any(not label or len(label) > OPTION_MAX for label in labels):
        raise InvalidInput("consultation.bad_poll", f"每个选项须填写，且不超过 {OPTION_MAX} 个字")
    if len(set(labels)) != len(labels):
        raise InvalidInput("consultation.bad_poll", "投票选项不能重复")
    if mode == "single":
        max_choices = 1
    elif max_choices is None:
        max_choices = len(labels)
    elif not 2 <= max_choices <= len(labels):
        raise InvalidInput("consultation.bad_poll", "多选最多可选的项数应在 2 到选项总数之间")
    return Poll(mode, labels, max_choices, results)


def check_answer(mode: str, max_choices: int, option_ids: Sequence[int],
                 valid_ids: Iterable[int]) -> tuple[int, ...]:
    """The chosen option ids, sorted, or InvalidInput: consultation.bad_answer for an empty
    answer, an unknown or repeated option, or more options than the poll allows."""
    chosen = list(option_ids)
    if not chosen:
        raise InvalidInput("consultation.bad_answer", "请至少选择一项")
    if len(set(chosen)) != len(chosen):
        raise InvalidInput("consultation.bad_answer", "同一选项只能选一次")
    if not set(chosen) <= set(valid_ids):
        raise InvalidInput("consultation.bad_answer", "所选选项不属于本次投票")
    if mode == "single" and len(chosen) != 1:
        raise InvalidInput("consultation.bad_answer", "本次投票为单选，请只选择一项")
    if len(chosen) > max_choices:
        raise InvalidInput("consultation.bad_answer", f"最多可选择 {max_choices} 项")
    return tuple(sorted(chosen))


def encode_choices(option_ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in sorted(option_ids))


def decode_choices(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


@dataclass(frozen=True)
class PollCount:
    counts: dict[int, int]  # option id -> residents who chose it, every option present
    voters: int             # residents who answered


def count_poll(option_ids: Sequence[int], ballots: Iterable[Sequence[int]]) -> PollCount:
    """Count a poll: for each option, the residents whose answer includes it.

    Every option appears (zero when nobody chose it). A ballot counts each option once even if
    it names it twice, and ignores ids that are not options of this poll; a ballot naming none
    of them is not a voter.
    """
    counts = {option_id: 0 for option_id in option_ids}
    voters = 0
    for ballot in ballots:
        chosen = {option_id for option_id in ballot if option_id in counts}
        if not chosen:
            continue
        voters += 1
        for option_id in chosen:
            counts[option_id] += 1
    return PollCount(counts, voters)


def results_visible(results: str, status: str) -> bool:
    """Whether residents may see the counts now (staff always may)."""
    return results == "live" or status in ("closed", "decided")


def may_answer(status: str, closes_at: dt.datetime, now: dt.datetime) -> bool:
    return status == "open" and now < closes_at
