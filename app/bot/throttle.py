"""Pure rules of outbound delivery: the per-robot sliding window, UTF-8 splitting, backoff.

A WeCom group robot accepts at most 20 messages a minute. The window is the list of the last
send times of one robot, persisted on its row; a send may start when fewer than ``LIMIT``
sends started within the last ``WINDOW`` (a second longer than WeCom's minute, to absorb the
network delay between our clock and theirs).
"""

from __future__ import annotations

import datetime as dt

LIMIT = 20
WINDOW = dt.timedelta(seconds=61)
MAX_TEXT_BYTES = 2048
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(minutes=30)


def _times(window: list) -> list[dt.datetime]:
    return [v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v) for v in window]


def prune(window: list, now: dt.datetime) -> list[dt.datetime]:
    """The send times still inside the window at ``now``, oldest first."""
    return sorted(t for t in _times(window) if t > now - WINDOW)


def free_at(window: list, now: dt.datetime) -> dt.datetime:
    """When the next send may start (``now`` if it may start at once)."""
    recent = prune(window, now)
    if len(recent) < LIMIT:
        return now
    return recent[-LIMIT] + WINDOW


def take(window: list, now: dt.datetime) -> list[str] | None:
    """The window with a send at ``now`` added, or None when the robot is at its limit."""
    recent = prune(window, now)
    if len(recent) >= LIMIT:
        return None
    return [t.isoformat() for t in [*recent, now][-LIMIT:]]


def split_utf8(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most ``limit`` UTF-8 bytes, never cut inside a character; a piece ends at
    a line break when one falls in its second half. Nothing is dropped."""
    pieces: list[str] = []
    rest = text
    while len(rest.encode()) > limit:
        head = rest.encode()[:limit].decode("utf-8", errors="ignore")
        newline = head.rfind("\n")
        if newline >= len(head) // 2:
            head = head[:newline + 1]
        pieces.append(head.rstrip("\n"))
        rest = rest[len(head):]
    pieces.append(rest)
    return pieces


def backoff(attempts: int) -> dt.timedelta:
    return min(BACKOFF_BASE * (2 ** min(max(attempts - 1, 0), 16)), BACKOFF_MAX)
