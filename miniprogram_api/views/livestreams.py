"""直播 for residents (``/api/v1/livestreams``) and in the staff console
(``/admin/api/v1/livestreams``): schedule (announced to the village's groups), cancel, and
record the minutes and result as a disclosure draft."""

from __future__ import annotations

from flask import Blueprint

from app.livestreams import services as livestreams
from app.livestreams.models import Livestream
from app.regions.models import Region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.disclosures import StaffDisclosureSchema
from miniprogram_api.schemas.livestreams import (
    CancelSchema,
    LivestreamBodySchema,
    LivestreamSchema,
    ResultBodySchema,
    StaffLivestreamQuery,
    StaffLivestreamSchema,
)
from miniprogram_api.views.admin_disclosures import present as present_disclosure

bp = Blueprint("livestreams", __name__)
ERRORS = ("livestream.not_found", "livestream.illegal_transition", "livestream.changed",
          "permission.denied")


def present(livestream):
    return (Livestream.select(Livestream, Region)
            .join(Region, on=(Livestream.village == Region.id))
            .where(Livestream.id == livestream.id).get())


@endpoint(bp, "/api/v1/livestreams", query=PageQuery, response=LivestreamSchema, paged=True,
          summary="本村(社区)的重大事项直播")
def village_list(actor, query):
    return page_of(livestreams.resident_query(actor), Livestream.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/admin/api/v1/livestreams", auth="staff", query=StaffLivestreamQuery,
          response=StaffLivestreamSchema, paged=True, summary="本辖区的直播",
          errors=("permission.denied",))
def staff_list(actor, query):
    return page_of(livestreams.staff_query(actor, status=query["status"],
                                           region_id=query["region_id"]),
                   Livestream.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/admin/api/v1/livestreams", method="POST", auth="staff",
          body=LivestreamBodySchema, response=StaffLivestreamSchema, status=201,
          summary="预告一场重大事项直播（立即通知村(社区)群，开始前半小时再提醒）",
          errors=("livestream.bad_link", "livestream.too_soon", "livestream.bad_notice",
                  "permission.denied"))
def schedule(actor, data):
    return present(livestreams.schedule_livestream(actor, **data))


@endpoint(bp, "/admin/api/v1/livestreams/<int:livestream_id>", auth="staff",
          response=StaffLivestreamSchema, summary="直播详情", errors=ERRORS)
def staff_detail(actor, livestream_id):
    return present(livestreams.load_for_staff(actor, livestream_id))


@endpoint(bp, "/admin/api/v1/livestreams/<int:livestream_id>/cancel", method="POST",
          auth="staff", body=CancelSchema, response=StaffLivestreamSchema,
          summary="取消直播（通知村(社区)群）", errors=ERRORS)
def cancel(actor, livestream_id, data):
    return present(livestreams.cancel_livestream(actor, livestream_id, reason=data["reason"]))


@endpoint(bp, "/admin/api/v1/livestreams/<int:livestream_id>/result", method="POST",
          auth="staff", body=ResultBodySchema, response=StaffDisclosureSchema, status=201,
          summary="登记直播的会议纪要与结果：生成村务公开草稿，审核后公开",
          errors=ERRORS + ("livestream.not_started",))
def result(actor, livestream_id, data):
    return present_disclosure(livestreams.record_result(
        actor, livestream_id, minutes=data["minutes"], result=data["result"],
        photo_ids=tuple(data["photo_ids"])))
