"""Pure rules of actions: the signed check-in QR token, time windows, service minutes and the
name of the certifying committee. No database; keys and times are passed in.

The QR token an organiser shows is ``<action id>.<phase>.<window>.<signature>``: ``phase`` is
``in`` or ``out``, ``window`` the number of the 60-second window it was made in, and the
signature an HMAC-SHA256 over the other three with a key derived for this purpose only. The
organiser's screen fetches a new token every minute; a token is accepted in its own window and
the next one (so a code shown at 10:00:59 still works when scanned at 10:01:02), never later,
and only for the action and phase it names.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

WINDOW_SECONDS = 60
PHASES = ("in", "out")
KEY_PURPOSE = "actions.qr"
CHECK_IN_EARLY = dt.timedelta(minutes=60)   # check-in opens this long before the start
CHECK_OUT_LATE = dt.timedelta(minutes=120)  # check-out closes this long after the end
MAX_MINUTES = 24 * 60
SIGNUP_STATES = ("confirmed", "waitlisted", "cancelled")
ATTENDANCE_STATES = ("none", "pending", "confirmed", "rejected")
_EPOCH = dt.datetime(1970, 1, 1)


def window_of(now: dt.datetime) -> int:
    return int((now - _EPOCH).total_seconds()) // WINDOW_SECONDS


def window_end(window: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=(window + 1) * WINDOW_SECONDS)


def _signature(key: bytes, action_id: int, phase: str, window: int) -> str:
    digest = hmac.new(key, f"{action_id}.{phase}.{window}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def make_token(key: bytes, action_id: int, phase: str, now: dt.datetime) -> str:
    if phase not in PHASES:
        raise ValueError(phase)
    window = window_of(now)
    return f"{action_id}.{phase}.{window}.{_signature(key, action_id, phase, window)}"


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    code: str = ""  # why not: invalid | wrong_action | wrong_phase | expired


def check_token(key: bytes, token: str, *, action_id: int, phase: str,
                now: dt.datetime) -> TokenCheck:
    """Is ``token`` a genuine, current ``phase`` token of ``action_id``?"""
    parts = (token or "").strip().split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[2].isdigit():
        return TokenCheck(False, "invalid")
    token_action, token_phase, window = int(parts[0]), parts[1], int(parts[2])
    if token_phase not in PHASES:
        return TokenCheck(False, "invalid")
    expected = _signature(key, token_action, token_phase, window)
    if not hmac.compare_digest(expected, parts[3]):
        return TokenCheck(False, "invalid")
    if token_action != action_id:
        return TokenCheck(False, "wrong_action")
    if token_phase != phase:
        return TokenCheck(False, "wrong_phase")
    if window not in (window_of(now), window_of(now) - 1):
        return TokenCheck(False, "expired")
    return TokenCheck(True)


def cancel_deadline(starts_at: dt.datetime, close_minutes: int) -> dt.datetime:
    """After this a confirmed place can no longer be given up by the resident."""
    return starts_at - dt.timedelta(minutes=close_minutes)


def check_in_open(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> bool:
    return starts_at - CHECK_IN_EARLY <= now <= ends_at


def check_out_open(checked_in_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> bool:
    return checked_in_at <= now <= ends_at + CHECK_OUT_LATE


def served_minutes(checked_in_at: dt.datetime, checked_out_at: dt.datetime,
                   starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    """Minutes between check-in and check-out, at most the action's length (the organiser
    corrects, with a reason, when someone really stayed longer)."""
    served = int((checked_out_at - checked_in_at).total_seconds() // 60)
    length = int((ends_at - starts_at).total_seconds() // 60)
    return max(0, min(served, length))


def issuer_name(region_name: str, level: str) -> str:
    """The committee that certifies service in a village or town (出具单位)."""
    if level == "village":
        if region_name.endswith("村"):
            return f"{region_name}村民委员会"
        return f"{region_name}居民委员会"
    if region_name.endswith("镇") or region_name.endswith("乡"):
        return f"{region_name}人民政府"
    if region_name.endswith("街道"):
        return f"{region_name}办事处"
    return region_name


def hours_text(minutes: int) -> str:
    """Service time in hours with one decimal, as certificates show it (95 min → "1.6")."""
    return f"{minutes / 60:.1f}"
