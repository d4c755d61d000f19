"""Staff on wishes: the review queue, approve, reject with a reason, take down with a reason.

Out of scope is ``wish.not_found``; in scope without the role's right is ``permission.denied``.
Each decision is audited with ids only; the reason stays on the wish, where the resident
reads it.
"""

from __future__ import annotations

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput
from app.policy import Actor, Grant, authorize, require_any_scope
from app.regions import rules as region_rules
from app.regions import services as regions
from app.wishes import notify, policies, rules
from app.wishes.history import apply_action
from app.wishes.models import Wish

QUEUES = ("review", "all")


def _load(actor: Actor | None, wish_id: int) -> Wish:
    wish = Wish.get_or_none(Wish.id == wish_id)
    if wish is None or not policies.is_staff_reader(actor, wish):
        raise policies.not_found()
    return wish


def _audit(actor: Actor, grant: Grant, action: str, wish: Wish, **summary) -> None:
    record(actor=actor, grant=grant, action=f"wish.{action}", object_type="wish",
           object_id=wish.id, region_path=wish.region_path, region_id=wish.village_id,
           summary=summary)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("wish.reason_required", message)
    return rules.check_note(reason, "wish.reason_too_long", message)


def get_for_staff(actor: Actor | None, wish_id: int) -> Wish:
    """A wish in the caller's scope (wish.read), whatever its state."""
    return _load(actor, wish_id)


def approve_wish(actor: Actor | None, wish_id: int) -> Wish:
    """Put a submitted wish on its village's wall (also releasing text the content check held).

    Grid workers and cadres in scope. Raises wish.not_found, Forbidden,
    wish.illegal_transition, wish.changed. Audits wish.approve; tells the wisher.
    """
    wish = _load(actor, wish_id)
    grant = authorize(actor, policies.REVIEW, wish.region_path)
    now = utcnow()
    with database.atomic():
        apply_action(wish, "approve", actor=actor, role=grant.role, now=now,
                     changes={"reviewed_at": now, "held_for_review": False})
        _audit(actor, grant, "approve", wish, held=bool(wish.held_for_review))
        notify.to_resident(wish, wish.wisher_id, "wish.approved",
                           "您的心愿已通过审核，已展示在心愿墙上", dedupe="approved")
    return wish


def reject_wish(actor: Actor | None, wish_id: int, *, reason: str) -> Wish:
    """Refuse a submitted wish with a reason the wisher is shown.

    Grid workers and cadres in scope. Raises wish.not_found, Forbidden, wish.reason_required,
    wish.illegal_transition, wish.changed. Audits wish.reject; tells the wisher.
    """
    wish = _load(actor, wish_id)
    grant = authorize(actor, policies.REVIEW, wish.region_path)
    reason = _reason(reason, "请说明未通过审核的理由，许愿人会看到")
    now = utcnow()
    with database.atomic():
        apply_action(wish, "reject", actor=actor, role=grant.role, now=now, note=reason,
                     changes={"review_reason": reason, "reviewed_at": now, "closed_at": now})
        _audit(actor, grant, "reject", wish)
        notify.to_resident(wish, wish.wisher_id, "wish.rejected",
                           f"您的心愿未通过审核：{reason}", dedupe="rejected")
    return wish


def take_down_wish(actor: Actor | None, wish_id: int, *, reason: str) -> Wish:
    """Take a wish off the wall (approved, claimed, fulfilled or confirmed) with a reason.

    Grid workers, cadres and town admins in scope. Running clocks stop. Raises
    wish.not_found, Forbidden, wish.reason_required, wish.illegal_transition, wish.changed.
    Audits wish.take_down; tells the wisher and any claimant.
    """
    wish = _load(actor, wish_id)
    grant = authorize(actor, policies.TAKE_DOWN, wish.region_path)
    reason = _reason(reason, "请说明下架的理由")
    now = utcnow()
    with database.atomic():
        apply_action(wish, "take_down", actor=actor, role=grant.role, now=now, note=reason,
                     changes={"closed_reason": reason, "closed_at": now,
                              "claim_due_at": None, "confirm_due_at": None})
        _audit(actor, grant, "take_down", wish)
        body = f"心愿已被工作人员下架：{reason}"
        notify.to_resident(wish, wish.wisher_id, "wish.taken_down", body, dedupe="taken_down")
        notify.to_resident(wish, wish.claimant_id, "wish.taken_down", body,
                           dedupe="taken_down")
    return wish


def staff_wishes_query(actor: Actor | None, *, queue: str = "review",
                       status: str | None = None, region_id: int | None = None):
    """Wishes in the caller's scope for keyset paging by ``Wish.id``: ``review`` (submitted,
    for those who review) or ``all`` (optionally one status). Raises Forbidden, wish.bad_queue,
    wish.bad_status, region.not_found. Changes nothing."""
    if queue not in QUEUES:
        raise InvalidInput("wish.bad_queue", "未知的工作队列")
    paths = require_any_scope(actor, policies.REVIEW if queue == "review" else policies.READ)
    if region_id is not None:
        inner = regions.path_of(region_id)
        if any(region_rules.contains(outer, inner) for outer in paths):
            paths = [inner]
        else:
            paths = [p for p in paths if region_rules.contains(inner, p)]
    if queue == "review":
        status = "submitted"
    elif status is not None and status not in rules.STATES:
        raise InvalidInput("wish.bad_status", "未知的心愿状态")
    cond = None
    for path in paths:
        part = regions.in_subtree(Wish.region_path, path)
        cond = part if cond is None else (cond | part)
    query = Wish.select().where(cond if cond is not None else Wish.id.in_([]))
    if status is not None:
        query = query.where(Wish.status == status)
    return query
