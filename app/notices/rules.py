"""Pure rules of 事前公示 notices: matter types, the workflow, the objection period. No database.

The objection period is counted in calendar days (自然日), not working days: the rule villagers
know is "公示不少于 5 天", and a notice board does not close at weekends. It starts the day after
publication and ends at 24:00 Asia/Shanghai of the N-th day: a notice published on Monday
23 November with 5 days accepts objections until Saturday 28 November 24:00. The default and
minimum is 5 days; staff may set a longer period (up to 30).

Workflow: draft → published (公示中) → decided (结果已公开); a draft may be discarded. The result
may be published only once the period has ended and every objection has been answered.
"""

from __future__ import annotations

import datetime as dt

from app.calendar.rules import day_end_utc, local_day
from app.errors import Conflict, InvalidInput

MATTER_TYPES = {"asset_lease": "集体资产资源出租", "tender": "工程项目招投标",
                "small_works": "小型工程", "land": "土地征收与流转",
                "collective_decision": "其他重大事项"}
STATES = ("draft", "published", "decided", "discarded")
STATE_NAMES = {"draft": "草稿", "published": "公示中", "decided": "结果已公开",
               "discarded": "已作废"}
RESULTS = {"adopted": "通过", "amended": "修改后通过", "rejected": "不予通过"}
TRANSITIONS = {
    "update": ({"draft"}, None),
    "publish": ({"draft"}, "published"),
    "discard": ({"draft"}, "discarded"),
    "decide": ({"published"}, "decided"),
}
MIN_DAYS = 5
MAX_DAYS = 30
MATTER_MAX, PROPOSAL_MAX, TEXT_MAX, RESULT_MAX = 100, 10_000, 500, 5_000
MAX_PHOTOS = 9


def next_state(current: str, action: str) -> str:
    sources, target = TRANSITIONS.get(action, (set(), None))
    if current not in sources:
        raise Conflict("notice.illegal_transition",
                       f"当前状态（{STATE_NAMES.get(current, current)}）不能进行此操作",
                       {"state": current, "action": action})
    return target or current


def allowed_actions(current: str) -> list[str]:
    return [name for name, (sources, _) in TRANSITIONS.items() if current in sources]


def period_end(published_at: dt.datetime, days: int) -> dt.datetime:
    """The instant (naive UTC) the objection period of a notice published then ends."""
    return day_end_utc(local_day(published_at) + dt.timedelta(days=days))


def period_open(period_ends_at: dt.datetime | None, now: dt.datetime) -> bool:
    return period_ends_at is not None and now < period_ends_at


def check_days(days: int) -> int:
    if not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput("notice.bad_period",
                           f"公示期应为 {MIN_DAYS} 到 {MAX_DAYS} 天（自然日）")
    return days


def check_matter(matter_type: str, matter: str, proposal: str) -> tuple[str, str, str]:
    if matter_type not in MATTER_TYPES:
        raise InvalidInput("notice.bad_matter_type", "请选择事项类型")
    matter, proposal = (matter or "").strip(), (proposal or "").strip()
    if not matter or len(matter) > MATTER_MAX:
        raise InvalidInput("notice.bad_matter", f"事项名称不能为空，且不超过 {MATTER_MAX} 个字")
    if not proposal or len(proposal) > PROPOSAL_MAX:
        raise InvalidInput("notice.bad_proposal",
                           f"拟决策方案不能为空，且不超过 {PROPOSAL_MAX} 个字")
    return matter_type, matter, proposal


def check_result(result: str, text: str) -> tuple[str, str]:
    if result not in RESULTS:
        raise InvalidInput("notice.bad_result", "请选择决策结果：通过、修改后通过或不予通过")
    text = (text or "").strip()
    if not text or len(text) > RESULT_MAX:
        raise InvalidInput("notice.bad_result_text", f"请写明决策结果，不超过 {RESULT_MAX} 个字")
    return result, text


def check_text(text: str, code: str, *, minimum: int = 1) -> str:
    text = (text or "").strip()
    if not minimum <= len(text) <= TEXT_MAX:
        raise InvalidInput(code, f"请用 {minimum} 到 {TEXT_MAX} 个字填写")
    return text
