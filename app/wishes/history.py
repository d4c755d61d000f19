"""Writing a wish's state changes: one conditional update plus one history entry, together.

``apply_action`` is the only place a wish's status changes. It runs inside the caller's
transaction as its first write and is conditional on the status (and, except for claims, the
version) the caller read: of two people acting at once exactly one wins, and the loser gets
the error the state machine gives for the state the winner left behind — for a claim,
``wish.already_claimed``.
"""

from __future__ import annotations

import datetime as dt

from app.errors import Conflict
from app.policy import Actor
from app.wishes import rules
from app.wishes.models import Wish, WishEvent


def add_event(wish: Wish, *, actor: Actor | None, role: str, action: str,
              from_status: str | None, to_status: str | None, at: dt.datetime,
              note: str = "", public: bool = True) -> WishEvent:
    return WishEvent.create(wish=wish.id, at=at, actor_id=actor.user_id if actor else None,
                            actor_role=role, action=action, from_status=from_status,
                            to_status=to_status, note=note, public=public)


def apply_action(wish: Wish, action: str, *, actor: Actor | None, role: str,
                 now: dt.datetime, changes: dict | None = None, note: str = "",
                 public: bool = True) -> Wish:
    """Move ``wish`` by ``action`` (raising the state machine's error), save ``changes``, and
    append the history entry. A claim is conditional on the status alone (``WHERE status =
    'approved'``); every other move also on the version, so no edit is lost."""
    target = rules.next_state(wish.status, action)
    values = dict(changes or {})
    values["status"] = target
    condition = (Wish.id == wish.id) & (Wish.status == wish.status)
    if action != "claim":
        condition &= Wish.version == wish.version
    # The version always moves forward from what is stored: a claim does not check it, and
    # the wish it was read from may be older than the row (claimed and released meanwhile).
    updated = (Wish.update({**{getattr(Wish, k): v for k, v in values.items()},
                            Wish.version: Wish.version + 1})
               .where(condition).execute())
    if updated != 1:
        current = Wish.select(Wish.status).where(Wish.id == wish.id).scalar()
        rules.next_state(current, action)  # raises the error of the state someone else left
        raise Conflict("wish.changed", "该心愿刚被其他人处理过，请刷新后再试")
    previous = wish.status
    for key, value in values.items():
        setattr(wish, key, value)
    wish.version = (Wish.select(Wish.version).where(Wish.id == wish.id).scalar()
                    if action == "claim" else wish.version + 1)
    add_event(wish, actor=actor, role=role, action=action, from_status=previous,
              to_status=target, at=now, note=note, public=public)
    return wish
