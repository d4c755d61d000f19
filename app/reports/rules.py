"""Pure rules of reports: the state machine, stage time limits, the reminder ladder, small-count
suppression, the receipt format. No database.

Stages and their default time limits in working days (counted from entering the stage):
received → a decision (accepted / not_accepted) within 15 (告知受理情况); accepted → the
preliminary check starts within 5; preliminary_check 30; handling 90. Each stage's deadline has
one ladder: a reminder to the handlers a day before, then 催办 to the level above once overdue.
"""

from __future__ import annotations

import datetime as dt

STATUSES = ("received", "accepted", "not_accepted", "preliminary_check", "handling",
            "concluded")
STATE_NAMES = {
    "received": "已收到", "accepted": "已受理", "not_accepted": "不予受理",
    "preliminary_check": "初步核实中", "handling": "办理中", "concluded": "已办结",
}
TRANSITIONS = {
    "received": ("accepted", "not_accepted"),
    "accepted": ("preliminary_check",),
    "preliminary_check": ("handling", "concluded"),
    "handling": ("concluded",),
    "not_accepted": (),
    "concluded": (),
}
CLOSED = frozenset({"not_accepted", "concluded"})
# Transitions whose text goes to the reporter (a reason, a conclusion): the text is required.
TEXT_TO_REPORTER = {"not_accepted": "decision", "concluded": "conclusion"}
STAGE_DAYS = {"received": 15, "accepted": 5, "preliminary_check": 30, "handling": 90}

LEVEL_NONE, LEVEL_REMINDED, LEVEL_URGED = 0, 1, 2
REMIND_BEFORE = dt.timedelta(hours=24)

DEFAULT_RETENTION_DAYS = 365 * 5
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 365 * 30
RECEIPT_DIGITS = 16
SMALL_COUNT = 5
SUPPRESSED = "<5"

TEXT_MIN, TEXT_MAX = 10, 5000
MESSAGE_MAX = 2000


def can_transition(status: str, to: str) -> bool:
    return to in TRANSITIONS.get(status, ())


def next_due(level: int, deadline: dt.datetime | None) -> dt.datetime | None:
    """When the scheduler should next look at a report at ``level`` of its stage's ladder."""
    if deadline is None or level >= LEVEL_URGED:
        return None
    return deadline - REMIND_BEFORE if level == LEVEL_NONE else deadline


def due_level(level: int, deadline: dt.datetime | None, now: dt.datetime) -> int | None:
    """The ladder step due at ``now`` (the highest one reached), or None when nothing is due."""
    if deadline is None:
        return None
    if now >= deadline and level < LEVEL_URGED:
        return LEVEL_URGED
    if now >= deadline - REMIND_BEFORE and level < LEVEL_REMINDED:
        return LEVEL_REMINDED
    return None


def suppress(count: int) -> str:
    """A count as shown in statistics: below :data:`SMALL_COUNT` (zero included) is "<5", so a
    single report can never be told apart from none."""
    return SUPPRESSED if count < SMALL_COUNT else str(count)


def normalize_receipt(text: str | None) -> str | None:
    """The 16 digits of a receipt typed with or without spaces and dashes, or None."""
    if not text:
        return None
    digits = "".join(ch for ch in text if ch not in " -")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def format_receipt(receipt: str) -> str:
    return "-".join(receipt[i:i + 4] for i in range(0, len(receipt), 4))
