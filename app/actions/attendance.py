"""Check-in and check-out by the organiser's rotating QR code, and the organiser's decision on
each volunteer's attendance — confirm, correct (with a reason) or reject — which credits the
service hours as points through the ledger (谁记录谁证明: who records, certifies).

A token is refused when it is forged, expired (older than its window and the next), for
another action or the other phase, or already used: each volunteer checks in once and out once
(a conditional update on their sign-up), so a code passed on later cannot be used again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import crypto
from app.actions import policies, rules
from app.actions.models import Action, ActionSignup
from app.audit.services import record
from app.clock import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.points.services import record_points_event
from app.points.tx import write
from app.policy import Actor, find_grant

_REFUSALS = {
    "invalid": ("action.qr_invalid", "二维码无效"),
    "wrong_action": ("action.qr_wrong_action", "这不是本活动的签到码"),
    "wrong_phase": ("action.qr_wrong_phase", "请扫描对应的签到码或签退码"),
    "expired": ("action.qr_expired", "二维码已过期，请扫描组织者屏幕上最新的二维码"),
}


@dataclass(frozen=True)
class QrCode:
    token: str
    phase: str
    expires_at: dt.datetime


def qr_code(actor: Actor, action_id: int, phase: str) -> QrCode:
    """The current check-in (``in``) or check-out (``out``) code the organiser shows; the
    screen fetches a new one every minute. The action's organiser or staff over it.
    Raises NotFound, Forbidden, InvalidInput ``action.bad_phase``, Conflict ``action.closed``.
    """
    action = policies.load_action(actor, action_id, manage=True)
    if phase not in rules.PHASES:
        raise InvalidInput("action.bad_phase", "phase 应为 in 或 out")
    if action.status != "open":
        raise Conflict("action.closed", "活动已取消")
    now = utcnow()
    token = rules.make_token(crypto.derive_key(rules.KEY_PURPOSE), action.id, phase, now)
    return QrCode(token, phase, rules.window_end(rules.window_of(now)))


def _verified(actor: Actor, action_id: int, token: str, phase: str) -> Action:
    action = policies.load_action(actor, action_id)
    check = rules.check_token(crypto.derive_key(rules.KEY_PURPOSE), token, action_id=action.id,
                              phase=phase, now=utcnow())
    if not check.ok:
        raise InvalidInput(*_REFUSALS[check.code])
    if action.status != "open":
        raise Conflict("action.closed", "活动已取消")
    return action


def _signup(actor: Actor, action: Action) -> ActionSignup:
    signup = ActionSignup.get_or_none((ActionSignup.action == action.id)
                                      & (ActionSignup.user == actor.user_id))
    if signup is None or signup.status != "confirmed":
        raise Forbidden("action.not_signed_up", "您不在本活动的报名名单中")
    return signup


def check_in(actor: Actor, action_id: int, token: str) -> ActionSignup:
    """A confirmed volunteer scans the check-in code (once). Raises the token refusals
    (``action.qr_*``, 422), Forbidden ``action.not_signed_up``, Conflict
    ``action.not_in_progress`` / ``action.already_checked_in`` / ``action.closed``.
    Changes: ``checked_in_at``."""
    action = _verified(actor, action_id, token, "in")
    signup = _signup(actor, action)
    now = utcnow()
    if not rules.check_in_open(action.starts_at, action.ends_at, now):
        raise Conflict("action.not_in_progress", "不在活动签到时间内")

    def run() -> ActionSignup:
        done = (ActionSignup.update(checked_in_at=now)
                .where((ActionSignup.id == signup.id) & ActionSignup.checked_in_at.is_null()
                       & (ActionSignup.status == "confirmed")).execute())
        if not done:
            raise Conflict("action.already_checked_in", "您已签到")
        return ActionSignup.get_by_id(signup.id)

    return write(run)


def check_out(actor: Actor, action_id: int, token: str) -> ActionSignup:
    """A checked-in volunteer scans the check-out code (once); their attendance then waits
    for the organiser. Raises the token refusals, Forbidden ``action.not_signed_up``,
    Conflict ``action.not_checked_in`` / ``action.already_checked_out`` /
    ``action.not_in_progress``. Changes: ``checked_out_at``, ``attendance``."""
    action = _verified(actor, action_id, token, "out")
    signup = _signup(actor, action)
    now = utcnow()
    if signup.checked_in_at is None:
        raise Conflict("action.not_checked_in", "请先签到")
    if signup.checked_out_at is not None:
        raise Conflict("action.already_checked_out", "您已签退")
    if not rules.check_out_open(signup.checked_in_at, action.ends_at, now):
        raise Conflict("action.not_in_progress", "已过签退时间，请联系组织者补录")

    def run() -> ActionSignup:
        done = (ActionSignup.update(checked_out_at=now, attendance="pending")
                .where((ActionSignup.id == signup.id) & ActionSignup.checked_out_at.is_null()
                       & ActionSignup.checked_in_at.is_null(False)
                       & (ActionSignup.attendance == "none")).execute())
        if not done:
            raise Conflict("action.already_checked_out", "您已签退")
        return ActionSignup.get_by_id(signup.id)

    return write(run)


def suggested_minutes(signup: ActionSignup, action: Action) -> int | None:
    """Service minutes from the scans, capped at the action's length (None without both)."""
    if signup.checked_in_at is None or signup.checked_out_at is None:
        return None
    return rules.served_minutes(signup.checked_in_at, signup.checked_out_at, action.starts_at,
                                action.ends_at)


def source_ref(action: Action, user_id: int) -> str:
    return f"action:{action.id}:checkout:user:{user_id}"


def _load_for_decision(actor: Actor, signup_id: int) -> tuple[ActionSignup, Action]:
    signup = ActionSignup.get_or_none(ActionSignup.id == signup_id)
    if signup is None:
        raise NotFound("action.signup_not_found", "找不到该报名记录")
    action = policies.load_action(actor, signup.action_id, manage=True)
    if signup.status != "confirmed":
        raise Conflict("action.not_attending", "该报名未确认，不能记录考勤")
    return signup, action


def decide_attendance(actor: Actor, signup_id: int, *, decision: str,
                      minutes: int | None = None, reason: str = "") -> ActionSignup:
    """The organiser records a volunteer's attendance, once:

    * ``confirm`` the minutes from the scans (after check-out);
    * ``correct`` to ``minutes`` with a reason (wrong scans, a forgotten check-out, someone
      who could not scan);
    * ``reject`` with a reason (no points).

    Confirmed minutes are credited through the ledger by the per-hour rule, under the source
    reference ``action:<id>:checkout:user:<user id>`` (so never twice). The action's
    organiser or staff over it, from the action's start. Raises NotFound, Forbidden,
    InvalidInput ``action.bad_decision`` / ``action.reason_required``, Conflict
    ``action.not_started`` / ``action.not_checked_out`` / ``action.already_decided`` /
    ``action.not_attending``. Changes: the sign-up, a points event and its transfers; an audit
    entry.
    """
    signup, action = _load_for_decision(actor, signup_id)
    reason = (reason or "").strip()
    now = utcnow()
    if decision not in ("confirm", "correct", "reject"):
        raise InvalidInput("action.bad_decision", "decision 应为 confirm、correct 或 reject")
    if decision != "confirm" and not reason:
        raise InvalidInput("action.reason_required", "更正或不予确认须填写理由")
    if now < action.starts_at:
        raise Conflict("action.not_started", "活动开始后才能记录考勤")
    if decision == "confirm":
        minutes = suggested_minutes(signup, action)
        if minutes is None:
            raise Conflict("action.not_checked_out", "该志愿者尚未签退，请用“更正”补录时长")
    elif decision == "correct" and (minutes is None or not 0 < minutes <= rules.MAX_MINUTES):
        raise InvalidInput("action.bad_decision", "请填写 1 到 1440 分钟的服务时长")
    attendance = "rejected" if decision == "reject" else "confirmed"

    def run() -> ActionSignup:
        ref = source_ref(action, signup.user_id) if attendance == "confirmed" else None
        done = (ActionSignup.update(
            attendance=attendance, minutes=minutes if attendance == "confirmed" else None,
            corrected=decision == "correct", decision_reason=reason[:200],
            decided_by=actor.user_id, decided_at=now, points_ref=ref)
            .where((ActionSignup.id == signup.id)
                   & ActionSignup.attendance.in_(("none", "pending"))).execute())
        if not done:
            raise Conflict("action.already_decided", "该志愿者的考勤已记录")
        if ref is not None:
            record_points_event(action.points_event_type, ref, signup.user_id,
                                _points_region(action, signup.user_id), minutes,
                                occurred_at=signup.checked_out_at or now,
                                created_by=actor.user_id,
                                reason=f"微行动：{action.title}"[:200])
        record(actor=actor, grant=find_grant(actor, policies.MANAGE, action.region_path),
               action=f"action.attendance_{decision}", object_type="action_signup",
               object_id=signup.id, region_path=action.region_path,
               summary={"action_id": action.id, "minutes": minutes if ref else None})
        return ActionSignup.get_by_id(signup.id)

    return write(run)


def _points_region(action: Action, user_id: int) -> int:
    """Where the points come from: the action's own village pool, or for a town-wide action
    (no village of its own) the volunteer's home village."""
    from app.accounts.models import User
    from app.regions.models import Region

    issuer = Region.get_by_id(action.issuer_region_id)
    if issuer.level == "village":
        return action.region_id
    user = User.get_or_none(User.id == user_id)
    return user.household_id if user is not None and user.household_id else action.region_id


def signups_of(actor: Actor, action_id: int):
    """Everyone signed up (and waitlisted) for an action, for its organiser (a query)."""
    action = policies.load_action(actor, action_id, manage=True)
    return ActionSignup.select().where(ActionSignup.action == action.id)
