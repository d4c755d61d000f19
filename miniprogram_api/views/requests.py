"""Residents' requests: submit, follow progress, reply, cancel, rate, reopen (``/api/v1``)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, current_app

from app.requests import feedback
from app.requests import services as requests
from app.requests.models import HandlingUnit
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.requests import (
    CategoryQuery,
    CategorySchema,
    NoteSchema,
    RateSchema,
    ReasonSchema,
    RequestDetailSchema,
    RequestSummarySchema,
    SubmitRequestSchema,
)

bp = Blueprint("requests", __name__, url_prefix="/api/v1")


def present(actor, request, **extra) -> SimpleNamespace:
    """A request with its timeline as the caller may see it, and what they can do next.

    Attributes, not a dict: the response schema's computed fields (``type_name``,
    ``status_name``) read them from the object they are given.
    """
    unit = HandlingUnit.get_or_none(HandlingUnit.id == request.lead_unit_id)
    return SimpleNamespace(**{
        **request.__data__, "region_id": request.region_id,
        "timeline": requests.timeline_for(actor, request),
        "allowed_actions": requests.actions_for(actor, request),
        "lead_unit": unit.name if unit else None, **extra})


def checker():
    return current_app.extensions["content_checker"]


@endpoint(bp, "/request-categories", auth="optional", query=CategoryQuery,
          response=CategorySchema, many=True, summary="诉求类别（按所在街道）")
def categories(query):
    return requests.list_categories(query["region_id"])


@endpoint(bp, "/requests", method="POST", body=SubmitRequestSchema,
          response=RequestDetailSchema, status=201, summary="提交诉求",
          errors=("request.bad_category", "request.location_outside", "content.risky",
                  "media.not_found", "media.too_many"))
def submit(actor, data):
    request = requests.submit_request(
        actor, type=data["type"], category_code=data["category_code"], text=data["text"],
        region_id=data["region_id"], address_text=data["address_text"],
        photo_ids=tuple(data["photo_ids"]), channel="mini_program", checker=checker())
    return present(actor, request)


@endpoint(bp, "/requests", query=PageQuery, response=RequestSummarySchema, paged=True,
          summary="我的诉求（含我关注的）")
def mine(actor, query):
    return page_of(requests.my_requests_query(actor), requests.Request.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/requests/<int:request_id>", response=RequestDetailSchema,
          summary="诉求详情与办理进度", errors=("request.not_found",))
def detail(actor, request_id):
    return present(actor, requests.get_request(actor, request_id))


@endpoint(bp, "/requests/<int:request_id>/cancel", method="POST", body=NoteSchema,
          response=RequestDetailSchema, summary="撤回诉求（受理前）",
          errors=("request.illegal_transition",))
def cancel(actor, request_id, data):
    return present(actor, requests.cancel_request(actor, request_id, data["note"]))


@endpoint(bp, "/requests/<int:request_id>/follow", method="POST",
          response=RequestDetailSchema, summary="我也遇到（关注同一问题）",
          errors=("request.already_following",))
def follow(actor, request_id):
    return present(actor, requests.follow_request(actor, request_id))


@endpoint(bp, "/requests/<int:request_id>/reply", method="POST", body=NoteSchema,
          response=RequestDetailSchema, summary="补充情况（恢复计时）")
def reply(actor, request_id, data):
    return present(actor, requests.reply_to_request(actor, request_id, data["note"]))


@endpoint(bp, "/requests/<int:request_id>/rate", method="POST", body=RateSchema,
          response=RequestDetailSchema, summary="评价办理结果",
          errors=("request.reopen_limit", "request.illegal_transition"))
def rate(actor, request_id, data):
    return present(actor, feedback.rate_request(
        actor, request_id, rating=data["rating"], comment=data["comment"],
        reopen=data["reopen"], reason=data["reason"]))


@endpoint(bp, "/requests/<int:request_id>/reopen", method="POST", body=ReasonSchema,
          response=RequestDetailSchema, summary="不满意，申请重新办理",
          errors=("request.reopen_limit",))
def reopen(actor, request_id, data):
    return present(actor, feedback.reopen_request(actor, request_id, reason=data["reason"]))
