"""Pure rules of the points feature: event types, how many points an event earns, periods,
star levels, ranking order and name masking. No database.

Ranking order (the same for a top list and for "my rank"): more points first; on equal points
the one who reached that total earlier first; then the lower account id. The rank shown is the
position in that order, so two people never show the same rank and the order never changes
by itself: it changes only when a transfer changes a tally.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from app.clock import to_local

# Event types every town starts with: code → (name, unit). Staff may add their own types.
EVENT_TYPES = {
    "action.attended": ("参加微行动志愿服务", "hour"),
    "wish.fulfilled": ("完成微心愿", "event"),
    "request.confirmed_valid": ("反映问题经核实有效", "event"),
    "consultation.comment_accepted": ("议事建议被采纳", "event"),
    "staff.award": ("工作人员奖励", "event"),
}
STAFF_AWARD = "staff.award"
UNITS = ("event", "hour")
REVERSAL = "reversal"
REDEMPTION = "redemption"
HOUSEHOLD_SUFFIX = "#household"
EVENT_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}(\.[a-z][a-z0-9_]{0,23})?$")
SOURCE_REF_RE = re.compile(r"^[a-z][a-z0-9_.]*(:[A-Za-z0-9_.\-]+)+$")
SOURCE_REF_MAX = 160

PERIOD_KINDS = ("month", "year", "all")
SCOPE_LEVELS = ("grid", "village", "town")
RANKED_KINDS = ("person", "household")
TOP_LIMIT = 50

# Defaults until a town or village sets its own thresholds (stars = thresholds reached).
DEFAULT_STARS = {
    "person": ("all", (50, 150, 300, 600, 1000)),
    "household": ("year", (100, 200, 400, 700, 1000)),
}
MAX_STARS = 10


def valid_event_type(code: str) -> bool:
    return bool(EVENT_TYPE_RE.match(code or ""))


def valid_source_ref(ref: str) -> bool:
    return bool(ref) and len(ref) <= SOURCE_REF_MAX and bool(SOURCE_REF_RE.match(ref))


def points_for(rule_points: int, unit: str, quantity: int) -> int:
    """Points an event earns: per event × count, or per hour × minutes ÷ 60 rounded down."""
    if quantity <= 0:
        return 0
    if unit == "hour":
        return rule_points * quantity // 60
    return rule_points * quantity


def scope_paths(path: str) -> list[str]:
    """Every scope a rule at ``path`` could be set on, most specific first: the node, its
    ancestors, and "/" (everywhere)."""
    ids = [part for part in path.strip("/").split("/") if part]
    found = [f"/{'/'.join(ids[:n])}/" for n in range(len(ids), 0, -1)]
    return [*found, "/"]


@dataclass(frozen=True)
class RuleVersion:
    id: int
    scope_path: str
    version: int
    effective_from: dt.datetime
    effective_to: dt.datetime | None

    def in_force(self, at: dt.datetime) -> bool:
        return self.effective_from <= at and (self.effective_to is None
                                              or at < self.effective_to)


def choose_rule(candidates: list[RuleVersion], at: dt.datetime) -> RuleVersion | None:
    """The rule in force at ``at`` on the most specific scope (longest path wins)."""
    live = [r for r in candidates if r.in_force(at)]
    if not live:
        return None
    return max(live, key=lambda r: (len(r.scope_path), r.version))


def period_keys(at: dt.datetime) -> tuple[str, str, str]:
    """The tally periods a moment belongs to: all time, its year and its month (Shanghai)."""
    local = to_local(at)
    return ("all", f"{local:%Y}", f"{local:%Y-%m}")


def period_key(kind: str, at: dt.datetime) -> str:
    if kind not in PERIOD_KINDS:
        raise ValueError(kind)
    all_time, year, month = period_keys(at)
    return {"all": all_time, "year": year, "month": month}[kind]


def parse_thresholds(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in json.loads(text))


def check_thresholds(values) -> tuple[int, ...]:
    """Thresholds must be 1–10 strictly increasing positive integers; returns them."""
    out = tuple(int(v) for v in values)
    if not 1 <= len(out) <= MAX_STARS:
        raise ValueError("count")
    if out[0] <= 0 or any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise ValueError("order")
    return out


def stars(points: int, thresholds: tuple[int, ...]) -> int:
    """How many thresholds ``points`` reaches (0 = no star yet)."""
    return sum(1 for t in thresholds if points >= t)


def next_threshold(points: int, thresholds: tuple[int, ...]) -> int | None:
    return next((t for t in thresholds if t > points), None)


def ahead_of(a: tuple[int, dt.datetime, int], b: tuple[int, dt.datetime, int]) -> bool:
    """Does tally ``a`` = (points, reached_at, account_id) rank before ``b``?"""
    if a[0] != b[0]:
        return a[0] > b[0]
    if a[1] != b[1]:
        return a[1] < b[1]
    return a[2] < b[2]


def mask_name(name: str) -> str:
    """What residents see of another person in a ranking: the first character only."""
    name = (name or "").strip()
    if not name:
        return "居民"
    return name[0] + "*" * min(max(len(name) - 1, 1), 2)
