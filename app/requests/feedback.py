"""反馈/问效: the resident rates a resolved request, may reopen it once, and silence after the
rating window is recorded as "no rating" — never as satisfied."""

from __future__ import annotations

from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor
from app.requests import notify, policies, rules, sla
from app.requests.models import Request
from app.requests.timeline import apply_action


def _own(actor: Actor, request_id: int) -> Request:
    request = policies.load_readable(actor, request_id)
    if not policies.is_owner(actor, request):
        raise NotFound("request.not_found", "找不到该诉求")
    return request


def rate_request(actor: Actor, request_id: int, *, rating: str, comment: str = "",
                 reopen: bool = False, reason: str = "") -> Request:
    """The submitter rates a resolved request. ``unsatisfied`` with ``reopen`` asks for the
    request to be handled again (once); otherwise the request is closed (销号)."""
    if rating not in rules.RATINGS:
        raise InvalidInput("request.bad_rating", "请选择满意、基本满意或不满意")
    if reopen and rating != "unsatisfied":
        raise InvalidInput("request.reopen_needs_unsatisfied", "只有不满意时才能申请重新办理")
    with database.atomic():
        request = _own(actor, request_id)
        if reopen:
            return _reopen(actor, request, reason, rating, comment)
        now = utcnow()
        return apply_action(request, "rate", actor=actor, role="resident", note=comment,
                            details={"rating": rating},
                            label=f"居民评价：{rules.RATING_NAMES[rating]}，诉求销号",
                            changes={"rating": rating, "rating_comment": comment[:500],
                                     "closed_at": now, "next_due_at": None}, now=now)


def reopen_request(actor: Actor, request_id: int, *, reason: str) -> Request:
    """重新办理: the unsatisfied submitter reopens a resolved request (once, with a reason)."""
    with database.atomic():
        return _reopen(actor, _own(actor, request_id), reason, "unsatisfied", "")


def _reopen(actor: Actor, request: Request, reason: str, rating: str, comment: str) -> Request:
    if not reason.strip():
        raise InvalidInput("request.reason_required", "请说明哪里还没有解决")
    rules.next_state(request.status, "reopen")
    rules.check_can_reopen(request.reopen_count)
    now = utcnow()
    request.resolve_deadline = None
    request.accept_deadline = sla.accept_deadline(now)
    request.escalation_level = 0
    changes = {"reopen_count": request.reopen_count + 1, "rating": rating,
               "rating_comment": comment[:500], "resolve_deadline": None,
               "resolved_at": None, "accept_deadline": request.accept_deadline,
               "escalation_level": 0, "lead_unit": None,
               "next_due_at": sla.next_due(request, now, status="reopened", level=0)}
    apply_action(request, "reopen", actor=actor, role="resident", note=reason, now=now,
                 changes=changes)
    notify.to_users(request, notify.staff_with_roles(request, {"grid_worker", "cadre"}),
                    "request.reopened", "居民不满意，申请重新办理，请重新分办",
                    dedupe=f"reopened:{request.version}")
    return request


def expire_rating(request_id: int, now) -> bool:
    """Close a resolved request whose rating window passed, with rating ``none``.

    Called by the scheduler; idempotent (a second call finds it closed and does nothing).
    """
    with database.atomic():
        request = Request.get_or_none(Request.id == request_id)
        if (request is None or request.status != "resolved" or request.resolved_at is None
                or request.resolved_at + sla.RATING_WINDOW > now):
            return False
        apply_action(request, "expire_rating", actor=None, role="system",
                     changes={"rating": "none", "closed_at": now, "next_due_at": None},
                     now=now)
    return True
