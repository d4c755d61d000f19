"""What the handling unit and supervisors do while a request is open: extensions, waiting
for the resident, resolving, notes; and staff-side merge, mediation codes, visits, flags."""

from __future__ import annotations

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, authorize, require_any_scope
from app.requests import notify, policies, rules, sla
from app.requests.models import Request, RequestFollower, RequestTask
from app.requests.services import _resume
from app.requests.timeline import add_entry, apply_action
from app.requests.workflow import _audit, _load

MAX_EXTENSION_DAYS = 30


def _load_as_handler(actor: Actor, request_id: int) -> Request:
    request = _load(actor, request_id)
    if not policies.is_handler(actor, request):
        raise NotFound("request.not_found", "找不到该诉求")
    return request


def request_extension(actor: Actor, request_id: int, *, days: int, reason: str) -> Request:
    """延期申请 by the lead unit, before the deadline passes. Raises request.extension_too_late,
    request.extension_pending, request.reason_required."""
    if not reason.strip():
        raise InvalidInput("request.reason_required", "请说明延期理由")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput("request.bad_extension",
                           f"延期天数应在 1 到 {MAX_EXTENSION_DAYS} 个工作日之间")
    now = utcnow()
    with database.atomic():
        request = _load_as_handler(actor, request_id)
        if request.resolve_deadline is None or now >= request.resolve_deadline:
            raise Conflict("request.extension_too_late", "已超过办理时限，不能再申请延期")
        if request.extension_days_pending is not None:
            raise Conflict("request.extension_pending", "已有延期申请在审批中")
        apply_action(request, "request_extension", actor=actor, role="handler", note=reason,
                     details={"days": days}, changes={"extension_days_pending": days}, now=now)
        notify.to_users(request, notify.staff_with_roles(request, {"cadre", "town_admin"}),
                        "request.extension_requested", f"申请延期 {days} 个工作日，请审批",
                        dedupe=f"extension:{request.version}")
    return request


def decide_extension(actor: Actor, request_id: int, *, approve: bool, note: str = "") -> Request:
    """The supervisor (cadre or town admin in scope) approves or rejects a pending extension.
    Approval moves the deadline later by the working days asked and restarts the ladder."""
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.DECIDE_EXTENSION, request.region_path)
        days = request.extension_days_pending
        if days is None:
            raise Conflict("request.no_extension_pending", "没有待审批的延期申请")
        changes = {"extension_days_pending": None}
        if approve:
            request.resolve_deadline = sla.extended(request.resolve_deadline, days)
            changes.update(resolve_deadline=request.resolve_deadline, escalation_level=0,
                           next_due_at=sla.next_due(request, now, level=0))
        apply_action(request, "approve_extension" if approve else "reject_extension",
                     actor=actor, role=grant.role, note=note, details={"days": days},
                     changes=changes, now=now)
        _audit(actor, grant, "decide_extension", request, approve=approve, days=days)
        notify.to_users(request, notify.unit_members(request.lead_unit_id),
                        "request.extension_decided",
                        "延期申请已批准" if approve else "延期申请未批准",
                        dedupe=f"extension_decided:{request.version}")
    return request


def wait_for_resident(actor: Actor, request_id: int, *, question: str) -> Request:
    """The handler asks the resident for information; the resolution clock pauses."""
    if not question.strip():
        raise InvalidInput("request.question_required", "请写明需要居民补充的内容")
    now = utcnow()
    with database.atomic():
        request = _load_as_handler(actor, request_id)
        apply_action(request, "wait_for_resident", actor=actor, role="handler", note=question,
                     changes={"paused_at": now, "next_due_at": None}, now=now)
        notify.to_resident(request, "request.needs_info", "需要您补充情况，请查看",
                           dedupe=f"needs_info:{request.version}")
    return request


def resume_request(actor: Actor, request_id: int, *, note: str = "") -> Request:
    """The handler resumes without the resident's reply (e.g. reached them by phone)."""
    with database.atomic():
        request = _load_as_handler(actor, request_id)
        return _resume(request, actor, "handler", note, utcnow())


def resolve_request(actor: Actor, request_id: int, *, note: str,
                    photo_ids: tuple[int, ...] = ()) -> Request:
    """办结 by the lead unit with a note (and photos); the resident is asked to rate."""
    if len(note.strip()) < 5:
        raise InvalidInput("request.note_required", "请填写办理结果（至少 5 个字）")
    now = utcnow()
    with database.atomic():
        request = _load_as_handler(actor, request_id)
        request.resolved_at = now
        apply_action(request, "resolve", actor=actor, role="handler", note=note, now=now,
                     changes={"resolved_at": now, "extension_days_pending": None,
                              "next_due_at": sla.next_due(request, now, status="resolved")})
        (RequestTask.update(status="done", done_at=now)
         .where((RequestTask.request == request.id) & (RequestTask.role == "lead")
                & (RequestTask.status == "open")).execute())
        if photo_ids:
            from app.media.services import attach_media

            attach_media(actor, list(photo_ids), f"request_resolution:{request.id}", limit=9)
        notify.to_resident(request, "request.resolved", "您的诉求已办结，请评价",
                           dedupe=f"resolved:{request.version}")
    return request


def add_note(actor: Actor, request_id: int, *, note: str, public: bool = True) -> Request:
    """A progress note by the handler or an assist unit member (internal when not public)."""
    with database.atomic():
        request = _load(actor, request_id)
        if not (policies.is_handler(actor, request)
                or policies.unit_ids_of(actor) & policies._task_unit_ids(request)):
            raise NotFound("request.not_found", "找不到该诉求")
        rules.next_state(request.status, "note")
        add_entry(request, actor=actor, role="handler", action="note",
                  from_status=None, to_status=None, note=note, public=public)
    return request


def merge_request(actor: Actor, request_id: int, *, into_id: int, note: str = "") -> Request:
    """Merge a duplicate into an open request; its submitter follows the target (我也遇到)."""
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.MERGE, request.region_path)
        target = _load(actor, into_id)
        authorize(actor, policies.MERGE, target.region_path)
        if target.id == request.id or target.status in rules.TERMINAL:
            raise Conflict("request.bad_merge_target", "只能合并到另一条未办结的诉求")
        apply_action(request, "merge", actor=actor, role=grant.role, note=note,
                     details={"into": target.tracking_no},
                     changes={"merged_into": target.id, "next_due_at": None,
                              "closed_at": utcnow()})
        (RequestFollower.insert(request=target.id, user=request.submitter_id)
         .on_conflict_ignore().execute())
        _audit(actor, grant, "merge", request, into=target.id)
        notify.to_resident(request, "request.merged", f"已与诉求 {target.tracking_no} 合并办理",
                           dedupe="merged")
    return request


def merge_into_number(actor: Actor, request_id: int, *, tracking_no: str,
                      note: str = "") -> Request:
    """Merge a duplicate into the request staff know by its tracking number (R20261123-0001),
    as typed into the console's merge form. Grid worker, cadre or town admin in scope.

    Raises Forbidden without the merge permission anywhere; request.not_found for a
    duplicate out of reach; InvalidInput request.merge_target_unknown when no request the
    caller may read has that number (a missing one and one out of reach read the same); then
    everything ``merge_request`` raises. Changes what ``merge_request`` changes, in one
    transaction.
    """
    require_any_scope(actor, policies.MERGE)
    number = (tracking_no or "").strip().upper()
    with database.atomic():
        _load(actor, request_id)
        target = Request.get_or_none(Request.tracking_no == number) if number else None
        if target is None or not policies.can_read(actor, target):
            raise InvalidInput("request.merge_target_unknown",
                               "找不到该编号的诉求，请核对合并到的诉求编号")
        return merge_request(actor, request_id, into_id=target.id, note=note)


def set_mediation_code(actor: Actor, request_id: int, *, code: str, note: str = "") -> Request:
    """Move a mediation request's colour code (yellow → orange → blue → red/green)."""
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.MEDIATE, request.region_path)
        if request.type != "mediation":
            raise Conflict("request.not_mediation", "只有矛盾纠纷类诉求有调解码")
        new_code = rules.next_mediation_code(request.mediation_code, code)
        apply_action(request, "mediate", actor=actor, role=grant.role, note=note,
                     label=f"调解码更新为{rules.MEDIATION_NAMES[new_code]}",
                     details={"from": request.mediation_code, "to": new_code},
                     changes={"mediation_code": new_code})
        _audit(actor, grant, "mediate", request, code=new_code)
    return request


def log_visit(actor: Actor, request_id: int, *, note: str) -> Request:
    """回访: staff record a follow-up visit or call after resolution."""
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.VISIT, request.region_path)
        apply_action(request, "visit", actor=actor, role=grant.role, note=note)
        _audit(actor, grant, "visit", request)
    return request


def flag_hard(actor: Actor, request_id: int, *, reason: str) -> Request:
    """Mark a request as a hard case for 联合督办 (cadre or town admin in scope)."""
    if not reason.strip():
        raise InvalidInput("request.reason_required", "请说明列为疑难件的理由")
    now = utcnow()
    with database.atomic():
        request = _load(actor, request_id)
        grant = authorize(actor, policies.FLAG, request.region_path)
        if request.flagged_hard:
            raise Conflict("request.already_flagged", "已列为疑难件")
        request.flagged_hard = True
        apply_action(request, "note", actor=actor, role=grant.role, note=reason, public=False,
                     label="列为疑难件", changes={"flagged_hard": True,
                                             "next_due_at": sla.next_due(request, now)})
        _audit(actor, grant, "flag_hard", request)
    return request
