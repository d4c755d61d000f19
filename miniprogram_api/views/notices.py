"""事前公示 for residents (``/api/v1/notices``): the village's notices, their results and the
answered objections, and filing an objection during the period."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.clock import utcnow
from app.media.services import attached_media
from app.notices import objections, rules
from app.notices.models import Notice, NoticeObjection
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.notices import (
    MyObjectionSchema,
    NoticeDetailSchema,
    NoticeSummarySchema,
    ObjectionBodySchema,
)

bp = Blueprint("notices", __name__, url_prefix="/api/v1/notices")


def present(notice: Notice) -> Notice:
    notice.photos = attached_media(f"notice:{notice.id}")
    notice.objections = objections.public_objections(notice)
    notice.accepting_objections = (notice.status == "published"
                                   and rules.period_open(notice.period_ends_at, utcnow()))
    return notice


@endpoint(bp, "", query=PageQuery, response=NoticeSummarySchema, paged=True,
          summary="本村(社区)的事前公示与决策结果", errors=("notice.residents_only",))
def list_mine(actor, query):
    return page_of(objections.resident_notices_query(actor), Notice.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/<int:notice_id>", response=NoticeDetailSchema,
          summary="事前公示详情：方案、异议期、已答复的异议、决策结果",
          errors=("notice.not_found",))
def detail(actor, notice_id):
    return present(objections.read_notice(actor, notice_id))


@endpoint(bp, "/<int:notice_id>/objections", method="POST", body=ObjectionBodySchema,
          response=MyObjectionSchema, status=201,
          summary="在公示期内提出异议（工作人员可见提出人，公开时不显示）",
          errors=("notice.not_found", "notice.period_over", "notice.bad_objection",
                  "content.risky"))
def object_(actor, notice_id, data):
    return objections.file_objection(actor, notice_id, text=data["text"],
                                     checker=current_app.extensions["content_checker"])


@endpoint(bp, "/objections/mine", query=PageQuery, response=MyObjectionSchema, paged=True,
          summary="我提出的异议及答复")
def my_objections(actor, query):
    return page_of(objections.my_objections_query(actor), NoticeObjection.id,
                   cursor=query["cursor"], limit=query["limit"])
