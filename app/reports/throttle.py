"""Slowing down guessing: per-client failure counts with expiry, never a raw address stored.

A client is known only by a fingerprint: an HMAC (server key, rotated daily) of what the edge
sees of it (address and user agent), computed at the edge and never stored with a report. The
failure counts live in the shared expiring key-value store (``app.kvstore``) so every worker
sees them, and expire after :data:`WINDOW`.

Receipts: :data:`FREE_FAILURES` wrong receipts are allowed; each further one locks the client
out for twice as long as the previous lock (from :data:`BASE_LOCK` up to :data:`MAX_LOCK`).
While locked, a receipt is not even checked, so a lock is no oracle. A success does not reset
the count: otherwise an attacker with one valid receipt of their own could interleave it with
guesses forever.

Submissions are capped per client per window in this process's memory only: a stored counter
keyed by the client would sit in the database beside the report's creation time, and anyone
holding the server key could then test guessed addresses against it. (With several workers the
cap is per worker; it is a brake on floods, not a guarantee.)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading

from app import crypto, kvstore
from app.clock import to_local, utcnow
from app.errors import RateLimited

WINDOW = 3600
FREE_FAILURES = 3
BASE_LOCK = 30
MAX_LOCK = 3600
SUBMISSIONS_PER_WINDOW = 5


def fingerprint(raw: str, now: dt.datetime | None = None) -> str:
    """An opaque client key from what the edge sees (never stored raw, rotates daily)."""
    day = f"{to_local(now or utcnow()):%Y%m%d}"
    return crypto.keyed_hash(f"reports.client:{day}", raw)[:32]


def _key(scope: str, client: str) -> str:
    return f"reports.throttle:{scope}:{client}"


def _load(scope: str, client: str) -> dict:
    raw = kvstore.get_value(_key(scope, client))
    return json.loads(raw) if raw else {"n": 0, "until": 0.0}


def _epoch(now: dt.datetime) -> float:
    return now.replace(tzinfo=dt.UTC).timestamp()


def check(scope: str, client: str, now: dt.datetime | None = None) -> None:
    """Raise ``report.too_many_attempts`` (429, ``retry_after``) while the client is locked."""
    state = _load(scope, client)
    wait = state["until"] - _epoch(now or utcnow())
    if wait > 0:
        raise RateLimited("report.too_many_attempts", "尝试次数过多，请稍后再试",
                          {"retry_after": math.ceil(wait)})


def record_failure(scope: str, client: str, now: dt.datetime | None = None) -> int:
    """Count one failure; returns the lock in seconds it caused (0 while still free)."""
    now = now or utcnow()
    state = _load(scope, client)
    state["n"] += 1
    over = state["n"] - FREE_FAILURES
    lock = min(MAX_LOCK, BASE_LOCK * 2 ** (over - 1)) if over > 0 else 0
    if lock:
        state["until"] = _epoch(now) + lock
    kvstore.set_value(_key(scope, client), json.dumps(state), ttl_seconds=WINDOW + lock)
    return lock


_submissions: dict[str, tuple[float, int]] = {}
_submissions_lock = threading.Lock()
_MAX_TRACKED = 10_000


def count_submission(client: str, now: dt.datetime | None = None) -> None:
    """Count a submission in memory; raise ``report.too_many_submissions`` past the cap."""
    at = _epoch(now or utcnow())
    with _submissions_lock:
        if len(_submissions) > _MAX_TRACKED:
            for key in [k for k, (start, _) in _submissions.items() if at - start >= WINDOW]:
                del _submissions[key]
        start, count = _submissions.get(client, (at, 0))
        if at - start >= WINDOW:
            start, count = at, 0
        if count >= SUBMISSIONS_PER_WINDOW:
            raise RateLimited("report.too_many_submissions", "提交太频繁，请稍后再试",
                              {"retry_after": math.ceil(start + WINDOW - at)})
        _submissions[client] = (start, count + 1)


def forget_submissions() -> None:
    """Clear the in-memory submission counts (tests)."""
    with _submissions_lock:
        _submissions.clear()
