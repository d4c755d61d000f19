"""事前公示 in the staff console (``/admin/api/v1``): draft, publish, answer objections and
publish the result after the period."""

from __future__ import annotations

from flask import Blueprint

from app.notices import objections, rules
from app.notices import services as notices
from app.notices.models import Notice, NoticeObjection
from app.regions.models import Region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.notices import (
    AnswerObjectionSchema,
    NoticeBodySchema,
    NoticeCreateSchema,
    ResultSchema,
    StaffNoticeQuery,
    StaffNoticeSchema,
    StaffObjectionQuery,
    StaffObjectionSchema,
)
from miniprogram_api.views.notices import present as present_public

bp = Blueprint("admin_notices", __name__, url_prefix="/admin/api/v1")
ERRORS = ("notice.not_found", "notice.illegal_transition", "notice.changed",
          "permission.denied")


def present(notice):
    notice = (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
              .where(Notice.id == notice.id).get())
    notice.allowed_actions = rules.allowed_actions(notice.status)
    return present_public(notice)


@endpoint(bp, "/notices", auth="staff", query=StaffNoticeQuery, response=StaffNoticeSchema,
          paged=True, summary="本辖区的事前公示", errors=("permission.denied",))
def staff_list(actor, query):
    page = page_of(notices.staff_notices_query(actor, status=query["status"],
                                               region_id=query["region_id"]),
                   Notice.id, cursor=query["cursor"], limit=query["limit"])
    page.items = [present(n) for n in page.items]
    return page


@endpoint(bp, "/notices", method="POST", auth="staff", body=NoticeCreateSchema,
          response=StaffNoticeSchema, status=201, summary="起草事前公示",
          errors=("notice.bad_village", "notice.bad_period", "permission.denied"))
def create(actor, data):
    return present(notices.create_notice(
        actor, village_id=data["village_id"], matter_type=data["matter_type"],
        matter=data["matter"], proposal=data["proposal"],
        objection_days=data["objection_days"], photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/notices/<int:notice_id>", auth="staff", response=StaffNoticeSchema,
          summary="事前公示详情", errors=ERRORS)
def staff_detail(actor, notice_id):
    return present(notices.load_for_staff(actor, notice_id))


@endpoint(bp, "/notices/<int:notice_id>", method="PUT", auth="staff", body=NoticeBodySchema,
          response=StaffNoticeSchema, summary="修改草稿", errors=ERRORS + ("notice.bad_period",))
def update(actor, notice_id, data):
    return present(notices.update_notice(
        actor, notice_id, matter_type=data["matter_type"], matter=data["matter"],
        proposal=data["proposal"], objection_days=data["objection_days"],
        photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/notices/<int:notice_id>/publish", method="POST", auth="staff",
          response=StaffNoticeSchema,
          summary="发布公示（异议期开始，通知村(社区)群，写入透明日志）",
          errors=ERRORS)
def publish(actor, notice_id):
    return present(notices.publish_notice(actor, notice_id))


@endpoint(bp, "/notices/<int:notice_id>/discard", method="POST", auth="staff",
          response=StaffNoticeSchema, summary="作废草稿", errors=ERRORS)
def discard(actor, notice_id):
    return present(notices.discard_notice(actor, notice_id))


@endpoint(bp, "/notices/<int:notice_id>/result", method="POST", auth="staff",
          body=ResultSchema, response=StaffNoticeSchema,
          summary="公布决策结果（公示期满且异议均已答复后；写入透明日志）",
          errors=ERRORS + ("notice.period_not_over", "notice.objections_unanswered"))
def result(actor, notice_id, data):
    return present(notices.publish_result(actor, notice_id, result=data["result"],
                                          result_text=data["result_text"]))


@endpoint(bp, "/notice-objections", auth="staff", query=StaffObjectionQuery,
          response=StaffObjectionSchema, paged=True, summary="居民提出的异议（含提出人编号）",
          errors=("permission.denied", "notice.not_found"))
def staff_objections(actor, query):
    return page_of(objections.staff_objections_query(actor, notice_id=query["notice_id"],
                                                     status=query["status"]),
                   NoticeObjection.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/notice-objections/<int:objection_id>/answer", method="POST", auth="staff",
          body=AnswerObjectionSchema, response=StaffObjectionSchema, summary="答复异议",
          errors=("notice.objection_not_found", "notice.already_answered",
                  "permission.denied"))
def answer(actor, objection_id, data):
    return objections.answer_objection(actor, objection_id, answer=data["answer"],
                                       public_text=data["public_text"])
