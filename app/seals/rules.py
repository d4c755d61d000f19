"""Pure rules of the seal log: which uses are anomalous. No database, no clock of its own.

Each rule looks at the facts of one seal use (:class:`UseFacts`) and names an anomaly:

* ``no_approver`` — nobody approved the use;
* ``self_approved`` — the applicant approved their own use;
* ``outside_office_hours`` — used outside 08:00–18:00 Asia/Shanghai on a working day (the
  working-day calendar with 调休 is injected: ``app.calendar.services.load_calendar``);
* ``no_power_item`` — the use cites no item of the village's power list;
* ``notice_missing`` — the cited power requires a 事前公示 and no notice of the village had
  been published before the use;
* ``notice_period_open`` — a notice was published, but its objection period had not ended when
  the seal was used (the decision was sealed before the publicity was over).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.clock import to_local

OFFICE_OPENS, OFFICE_CLOSES = dt.time(8, 0), dt.time(18, 0)
ANOMALIES = {
    "no_approver": "无审批人",
    "self_approved": "申请人自己审批",
    "outside_office_hours": "非工作时间用印",
    "no_power_item": "未关联权力清单事项",
    "notice_missing": "应事前公示而未公示",
    "notice_period_open": "公示期未满即用印",
}
DOCUMENT_MAX, PURPOSE_MAX, NAME_MAX, REF_MAX = 100, 200, 50, 100
MAX_COPIES = 100
# Document and purpose are published: refuse what looks like a phone or ID-card number.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


@dataclass(frozen=True)
class UseFacts:
    used_at: dt.datetime  # naive UTC
    applicant_user_id: int | None
    approver_user_id: int | None
    has_power_item: bool
    requires_notice: bool
    notice_published_at: dt.datetime | None  # the linked notice, if published (naive UTC)
    notice_period_ends_at: dt.datetime | None


def in_office_hours(used_at: dt.datetime, is_working_day: Callable[[dt.date], bool]) -> bool:
    local = to_local(used_at)
    return is_working_day(local.date()) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES


def anomalies(facts: UseFacts, is_working_day: Callable[[dt.date], bool]) -> list[str]:
    """The anomaly codes of one use, in the order of :data:`ANOMALIES`."""
    found = []
    if facts.approver_user_id is None:
        found.append("no_approver")
    elif facts.applicant_user_id is not None and facts.applicant_user_id == facts.approver_user_id:
        found.append("self_approved")
    if not in_office_hours(facts.used_at, is_working_day):
        found.append("outside_office_hours")
    if not facts.has_power_item:
        found.append("no_power_item")
    if facts.requires_notice:
        if facts.notice_published_at is None or facts.notice_published_at > facts.used_at:
            found.append("notice_missing")
        elif facts.notice_period_ends_at and facts.used_at < facts.notice_period_ends_at:
            found.append("notice_period_open")
    return found


def has_personal_number(text: str) -> bool:
    return bool(_PERSONAL_NUMBER.search(text or ""))
