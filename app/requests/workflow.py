"""Staff moves on a request: accept, dispatch, transfer, return, start, release from review.

Every function: permission first (role in scope, or membership of the handling unit), then one
transaction that changes the request, appends the timeline, audits and writes the notices.
"""

from __future__ import annotations

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, authorize
from app.requests import notify, policies, routing, sla
from app.requests.models import HandlingUnit, Request, RequestTask
from app.requests.timeline import apply_action


def _load(actor: Actor, request_id: int) -> Request:
    request = Request.get_or_none(Request.id == request_id)
    if request is None or not policies.can_read(actor, request):
        raise NotFound("request.not_found", "找不到该诉求")
    return request


def _audit(actor, grant, action, request, **summary):
    record(actor=actor, grant=grant, action=f"request.{action}", object_type="request",
           object_id=request.id, region_path=request.region_path, summary=summary)


def accept_request(actor: Actor, request_id: int, note: str = "") -> Request:
    """受理. Grid worker, cadre or town admin in scope. Raises request.held_for_review while the
    content check holds the text, request.illegal_transition from any state but submitted."""
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.ACCEPT, request.region_path)
        if request.held_for_review:
            raise Conflict("request.held_for_review", "该诉求内容待审核，请先审核放行")
        apply_action(request, "accept", actor=actor, role=grant.role, note=note, now=now,
                     changes={"accepted_at": now, "next_due_at": sla.next_due(
                         request, now, status="accepted")})
        _audit(actor, grant, "accept", request)
        notify.to_resident(request, "request.accepted", "您的诉求已受理，正在安排办理",
                           dedupe="accepted")
    return request


def dispatch_request(actor: Actor, request_id: int, *, lead_unit_id: int | None = None,
                     assist_unit_ids: tuple[int, ...] = (), reason: str = "") -> Request:
    """分办 to a lead unit (and assist units for joint handling). Grid worker, cadre or town
    admin in scope. Without ``lead_unit_id`` the routing rule's unit is used; choosing another
    unit than the rule's needs a reason. The resolution clock starts at the first dispatch
    (after a reopen it starts again); a re-dispatch after a return keeps the running clock."""
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.DISPATCH, request.region_path)
        suggested = routing.suggest_unit(request)
        if lead_unit_id is None:
            if suggested is None:
                raise Conflict("request.no_route", "没有匹配的分办规则，请手动选择承办单位")
            lead_unit_id = suggested.id
        lead = routing.load_unit(lead_unit_id, request)
        overridden = suggested is not None and suggested.id != lead.id
        if overridden and not reason.strip():
            raise InvalidInput("request.override_reason_required",
                               "改派到非推荐单位时请说明理由")
        assists = [routing.load_unit(uid, request) for uid in dict.fromkeys(assist_unit_ids)
                   if uid != lead.id]
        changes = {"lead_unit": lead.id}
        if request.resolve_deadline is None:
            changes.update(resolve_deadline=sla.resolve_deadline(
                now, request.type, _category_days(request)), escalation_level=0)
            request.resolve_deadline = changes["resolve_deadline"]
            request.escalation_level = 0
        if request.dispatched_at is None:
            changes["dispatched_at"] = now
        changes["next_due_at"] = sla.next_due(request, now, status="dispatched")
        apply_action(request, "dispatch", actor=actor, role=grant.role, now=now,
                     note=reason if overridden else "",
                     details={"lead_unit": lead.name,
                              "assist_units": [u.name for u in assists],
                              "overridden": overridden}, changes=changes)
        _replace_tasks(request, lead, assists)
        _audit(actor, grant, "dispatch", request, lead_unit=lead.id, overridden=overridden)
        notify.to_resident(request, "request.dispatched", f"已交由{lead.name}办理",
                           dedupe=f"dispatched:{request.version}")
        members = notify.unit_members(lead.id)
        for unit in assists:
            members += notify.unit_members(unit.id)
        notify.to_users(request, members, "request.to_handle", "有新的诉求交办给您的单位",
                        dedupe=f"to_handle:{request.version}")
    return request


def _category_days(request: Request) -> int | None:
    from app.requests.services import category_for

    return category_for(request.region_path, request.category_code).resolve_days


def _replace_tasks(request: Request, lead: HandlingUnit, assists: list[HandlingUnit]) -> None:
    (RequestTask.update(status="returned", done_at=utcnow())
     .where((RequestTask.request == request.id) & (RequestTask.status == "open")).execute())
    RequestTask.create(request=request.id, unit=lead.id, role="lead")
    for unit in assists:
        RequestTask.create(request=request.id, unit=unit.id, role="assist")


def transfer_request(actor: Actor, request_id: int, *, unit_id: int, reason: str) -> Request:
    """转办 to another lead unit while being handled. Dispatchers in scope; reason required.
    The hop count grows; the resolution clock keeps running."""
    if not reason.strip():
        raise InvalidInput("request.reason_required", "请说明转办理由")
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.DISPATCH, request.region_path)
        unit = routing.load_unit(unit_id, request)
        if unit.id == request.lead_unit_id:
            raise Conflict("request.same_unit", "已经由该单位办理")
        apply_action(request, "transfer", actor=actor, role=grant.role, note=reason, now=now,
                     details={"to_unit": unit.name},
                     changes={"lead_unit": unit.id, "hop_count": request.hop_count + 1,
                              "extension_days_pending": None})
        _replace_tasks(request, unit, [])
        _audit(actor, grant, "transfer", request, unit=unit.id)
        notify.to_users(request, notify.unit_members(unit.id), "request.to_handle",
                        "有诉求转交给您的单位办理", dedupe=f"to_handle:{request.version}")
    return request


def return_request(actor: Actor, request_id: int, *, clause: int, note: str) -> Request:
    """退单: the handling unit returns the request to the dispatcher, citing a clause of its
    responsibility list. Members of the lead unit only. The hop count grows and is shown."""
    if not note.strip():
        raise InvalidInput("request.reason_required", "请说明退单理由")
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        if not policies.is_handler(actor, request):
            raise NotFound("request.not_found", "找不到该诉求")
        unit = HandlingUnit.get_by_id(request.lead_unit_id)
        text = routing.cited_clause(unit, clause)
        apply_action(request, "return", actor=actor, role="handler", note=note, now=now,
                     details={"unit": unit.name, "clause": clause, "clause_text": text},
                     changes={"lead_unit": None, "hop_count": request.hop_count + 1,
                              "extension_days_pending": None})
        (RequestTask.update(status="returned", done_at=now, note=note)
         .where((RequestTask.request == request.id) & (RequestTask.status == "open")).execute())
        notify.to_users(request, notify.staff_with_roles(request, {"grid_worker", "cadre"}),
                        "request.returned", f"{unit.name}退单，请重新分办",
                        dedupe=f"returned:{request.version}")
    return request


def start_request(actor: Actor, request_id: int) -> Request:
    """The lead unit starts handling (开始办理). Members of the lead unit only."""
    with database.atomic():
        request = _load(actor, request_id)
        if not policies.is_handler(actor, request):
            raise NotFound("request.not_found", "找不到该诉求")
        return apply_action(request, "start", actor=actor, role="handler")


def release_review(actor: Actor, request_id: int, *, approve: bool, reason: str = "") -> Request:
    """Staff decide on text the content check held for review: release it to the acceptance
    queue, or reject it (the request is cancelled, with the reason shown to the resident).
    Cadre or town admin in scope."""
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.RELEASE_REVIEW, request.region_path)
        if not request.held_for_review:
            raise Conflict("request.not_held", "该诉求不在待审核状态")
        if approve:
            Request.update(held_for_review=False).where(Request.id == request.id).execute()
            request.held_for_review = False
        else:
            if not reason.strip():
                raise InvalidInput("request.reason_required", "请说明不予受理的理由")
            apply_action(request, "cancel", actor=actor, role=grant.role, note=reason,
                         label="内容未通过审核，不予受理",
                         changes={"held_for_review": False, "next_due_at": None,
                                  "closed_at": utcnow()})
            notify.to_resident(request, "request.rejected", "您的诉求未通过内容审核",
                               dedupe="rejected")
        _audit(actor, grant, "review", request, approve=approve)
    return request
