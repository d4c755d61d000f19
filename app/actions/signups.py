"""Signing up for an action, giving a place up, and the waitlist that fills freed places.

Every change first bumps the action's ``version``: on PostgreSQL that takes the action's row
lock, so sign-ups, cancellations and promotions of one action happen one at a time and the
count of confirmed places (``taken``) never passes ``capacity``; on SQLite the write
transaction does the same.
"""

from __future__ import annotations

from app.actions import policies, rules
from app.actions.models import Action, ActionSignup
from app.clock import utcnow
from app.errors import Conflict, NotFound
from app.notifications.services import enqueue
from app.points.tx import write
from app.policy import Actor


def _lock(action_id: int) -> Action:
    Action.update(version=Action.version + 1).where(Action.id == action_id).execute()
    return Action.get_by_id(action_id)


def sign_up(actor: Actor, action_id: int) -> ActionSignup:
    """A resident of the action's region takes a place, or joins the waitlist when it is full.

    Bound residents whose household lies in the action's region. Signing up again while
    signed up returns the same sign-up. Raises NotFound ``action.not_found`` (also for an
    action outside their region), Conflict ``action.closed`` (cancelled or started).
    Changes: the sign-up, the action's ``taken``.
    """
    found = policies.load_action(actor, action_id)
    if not actor.household_path or not actor.household_path.startswith(found.region_path):
        raise NotFound("action.not_found", "找不到该活动")

    def run() -> ActionSignup:
        now = utcnow()
        action = _lock(found.id)
        if action.status != "open" or now >= action.starts_at:
            raise Conflict("action.closed", "活动已开始或已取消，不能报名")
        mine = ActionSignup.get_or_none((ActionSignup.action == action.id)
                                        & (ActionSignup.user == actor.user_id))
        if mine is not None and mine.status != "cancelled":
            return mine
        status = "confirmed" if action.taken < action.capacity else "waitlisted"
        if status == "confirmed":
            Action.update(taken=Action.taken + 1).where(Action.id == action.id).execute()
        if mine is None:
            return ActionSignup.create(action=action.id, user=actor.user_id, status=status,
                                       queued_at=now, created_at=now)
        ActionSignup.update(status=status, queued_at=now).where(
            ActionSignup.id == mine.id).execute()
        return ActionSignup.get_by_id(mine.id)

    return write(run)


def cancel_signup(actor: Actor, action_id: int) -> ActionSignup:
    """The resident gives their place up (or leaves the waitlist); the first on the waitlist
    gets the place at once and is told. A confirmed place can be given up only until the
    action's cancellation deadline. Raises NotFound ``action.not_signed_up``, Conflict
    ``action.cancel_closed`` / ``action.already_checked_in``. Changes: sign-ups, ``taken``,
    a notice to whoever was promoted.
    """
    found = policies.load_action(actor, action_id)

    def run() -> ActionSignup:
        now = utcnow()
        action = _lock(found.id)
        mine = ActionSignup.get_or_none((ActionSignup.action == action.id)
                                        & (ActionSignup.user == actor.user_id))
        if mine is None or mine.status == "cancelled":
            raise NotFound("action.not_signed_up", "您没有报名该活动")
        if mine.checked_in_at is not None:
            raise Conflict("action.already_checked_in", "已签到，不能取消报名")
        if mine.status == "confirmed":
            if now >= rules.cancel_deadline(action.starts_at, action.cancel_close_minutes):
                raise Conflict("action.cancel_closed", "已过取消报名的截止时间，请联系组织者")
            Action.update(taken=Action.taken - 1).where(Action.id == action.id).execute()
        elif now >= action.starts_at:
            raise Conflict("action.cancel_closed", "活动已开始")
        ActionSignup.update(status="cancelled").where(ActionSignup.id == mine.id).execute()
        promote_waitlist(Action.get_by_id(action.id), now=now)
        return ActionSignup.get_by_id(mine.id)

    return write(run)


def promote_waitlist(action: Action, *, now=None) -> list[ActionSignup]:
    """Give free places to the waitlist in order (inside the caller's transaction, with the
    action locked). Nothing happens once the action has started or was cancelled."""
    now = now or utcnow()
    promoted = []
    if action.status != "open" or now >= action.starts_at:
        return promoted
    free = action.capacity - action.taken
    while free > 0:
        nxt = (ActionSignup.select().where((ActionSignup.action == action.id)
                                           & (ActionSignup.status == "waitlisted"))
               .order_by(ActionSignup.queued_at, ActionSignup.id).first())
        if nxt is None:
            break
        ActionSignup.update(status="confirmed").where(
            (ActionSignup.id == nxt.id) & (ActionSignup.status == "waitlisted")).execute()
        Action.update(taken=Action.taken + 1).where(Action.id == action.id).execute()
        enqueue(channel="in_app", kind="action.promoted", recipient_user_id=nxt.user_id,
                dedupe_key=f"action.promoted:{nxt.id}:{nxt.queued_at:%Y%m%d%H%M%S%f}",
                title=f"候补成功：您已获得“{action.title[:40]}”的名额",
                page=f"pages/actions/detail?id={action.id}", now=now)
        promoted.append(nxt)
        free -= 1
    return promoted


def my_signup(actor: Actor, action_id: int) -> ActionSignup | None:
    return ActionSignup.get_or_none((ActionSignup.action == action_id)
                                    & (ActionSignup.user == actor.user_id))


def waitlist_position(signup: ActionSignup) -> int | None:
    """1 for the next to be promoted; None unless waitlisted."""
    if signup.status != "waitlisted":
        return None
    return 1 + ActionSignup.select().where(
        (ActionSignup.action == signup.action_id) & (ActionSignup.status == "waitlisted")
        & ((ActionSignup.queued_at < signup.queued_at)
           | ((ActionSignup.queued_at == signup.queued_at) & (ActionSignup.id < signup.id)))
    ).count()


def my_signups(actor: Actor):
    """The caller's sign-ups, with their actions (a query)."""
    return (ActionSignup.select(ActionSignup, Action).join(Action)
            .where(ActionSignup.user == actor.user_id))
