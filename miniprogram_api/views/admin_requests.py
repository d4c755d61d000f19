"""Staff side of requests (``/admin/api/v1/requests``): queues, entry on a resident's behalf,
and every transition. Views only load, call one service, and present."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from marshmallow import fields

from app.clock import SHANGHAI
from app.requests import handling, queries, routing, workflow
from app.requests import services as requests
from app.requests.models import Request
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.requests import (
    DecisionSchema,
    DispatchSchema,
    ExtensionSchema,
    MediationSchema,
    MergeSchema,
    NoteSchema,
    QuestionSchema,
    QueueQuery,
    ReasonSchema,
    RequestDetailSchema,
    RequestSummarySchema,
    ResolveSchema,
    ReturnSchema,
    ReviewSchema,
    StaffNoteSchema,
    StaffSubmitSchema,
    TransferSchema,
)
from miniprogram_api.views.requests import checker, present

bp = Blueprint("admin_requests", __name__, url_prefix="/admin/api/v1/requests")
ERRORS = ("request.not_found", "request.illegal_transition", "request.changed",
          "permission.denied")


class StaffRequestDetailSchema(RequestDetailSchema):
    """The staff detail: every timeline entry, and the unit the routing rules suggest."""

    suggested_unit = fields.Dict(allow_none=True)


def staff_present(actor, request):
    suggested = routing.suggest_unit(request)
    return present(actor, request, suggested_unit=(
        {"id": suggested.id, "name": suggested.name} if suggested else None))


def _stored_time(value: dt.datetime | None) -> dt.datetime | None:
    """A filter time as the database stores it (naive UTC). A time with an offset is converted;
    one without is Asia/Shanghai time, the way the console shows times."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


@endpoint(bp, "", auth="staff", query=QueueQuery, response=RequestSummarySchema, paged=True,
          summary="工作队列：待受理、待分办、我的待办、超期、提级、延期审批等",
          errors=("request.bad_queue", "permission.denied"))
def queue(actor, query):
    filters = {k: query[k] for k in ("status", "type", "category_code", "channel",
                                     "region_id")}
    filters.update(created_from=_stored_time(query["created_from"]),
                   created_to=_stored_time(query["created_to"]))
    return page_of(queries.queue_query(actor, query["queue"], **filters), Request.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "", method="POST", auth="staff", body=StaffSubmitSchema, status=201,
          response=StaffRequestDetailSchema, summary="代居民登记诉求（电话、来访）", errors=ERRORS)
def enter(actor, data):
    request = requests.submit_request(
        actor, type=data["type"], category_code=data["category_code"], text=data["text"],
        region_id=data["region_id"], address_text=data["address_text"],
        photo_ids=tuple(data["photo_ids"]), channel=data["channel"], checker=checker(),
        on_behalf=data["on_behalf"])
    return staff_present(actor, request)


@endpoint(bp, "/<int:request_id>", auth="staff", response=StaffRequestDetailSchema,
          summary="诉求详情（含内部记录与推荐承办单位）", errors=ERRORS)
def detail(actor, request_id):
    return staff_present(actor, requests.get_request(actor, request_id))


def _action(rule, summary, body, call):
    """Register POST ``/<id>/<rule>`` calling ``call(actor, request_id, data)``."""

    def view(actor, request_id, data=None):
        return staff_present(actor, call(actor, request_id, data or {}))

    view.__name__ = f"request_{rule.replace('/', '_').replace('-', '_')}"
    endpoint(bp, f"/<int:request_id>/{rule}", method="POST", auth="staff", body=body,
             response=StaffRequestDetailSchema, summary=summary, errors=ERRORS)(view)


_action("accept", "受理", NoteSchema,
        lambda a, i, d: workflow.accept_request(a, i, d.get("note", "")))
_action("dispatch", "分办（可指定牵头与配合单位）", DispatchSchema,
        lambda a, i, d: workflow.dispatch_request(
            a, i, lead_unit_id=d["lead_unit_id"], assist_unit_ids=tuple(d["assist_unit_ids"]),
            reason=d["reason"]))
_action("transfer", "转办", TransferSchema,
        lambda a, i, d: workflow.transfer_request(a, i, unit_id=d["unit_id"],
                                                  reason=d["reason"]))
_action("start", "开始办理", None, lambda a, i, d: workflow.start_request(a, i))
_action("return", "退单（引用职责清单条款）", ReturnSchema,
        lambda a, i, d: workflow.return_request(a, i, clause=d["clause"], note=d["note"]))
_action("extension", "申请延期", ExtensionSchema,
        lambda a, i, d: handling.request_extension(a, i, days=d["days"], reason=d["reason"]))
_action("extension/decision", "审批延期", DecisionSchema,
        lambda a, i, d: handling.decide_extension(a, i, approve=d["approve"], note=d["note"]))
_action("wait", "请居民补充情况（暂停计时）", QuestionSchema,
        lambda a, i, d: handling.wait_for_resident(a, i, question=d["question"]))
_action("resume", "恢复办理", NoteSchema,
        lambda a, i, d: handling.resume_request(a, i, note=d.get("note", "")))
_action("resolve", "办结", ResolveSchema,
        lambda a, i, d: handling.resolve_request(a, i, note=d["note"],
                                                 photo_ids=tuple(d["photo_ids"])))
_action("notes", "记录办理进展", StaffNoteSchema,
        lambda a, i, d: handling.add_note(a, i, note=d["note"], public=d["public"]))
_action("merge", "合并重复诉求", MergeSchema,
        lambda a, i, d: handling.merge_request(a, i, into_id=d["into_id"], note=d["note"]))
_action("mediation", "更新调解码", MediationSchema,
        lambda a, i, d: handling.set_mediation_code(a, i, code=d["code"], note=d["note"]))
_action("visits", "记录回访", StaffNoteSchema,
        lambda a, i, d: handling.log_visit(a, i, note=d["note"]))
_action("flag", "列为疑难件（联合督办）", ReasonSchema,
        lambda a, i, d: handling.flag_hard(a, i, reason=d["reason"]))
_action("review", "内容审核：放行或不予受理", ReviewSchema,
        lambda a, i, d: workflow.release_review(a, i, approve=d["approve"],
                                                reason=d["reason"]))
