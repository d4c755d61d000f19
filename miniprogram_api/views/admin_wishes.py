"""微心愿 in the staff console (``/admin/api/v1/wishes``): the review queue, approve, reject
and take down with a reason, and the town's time limits."""

from __future__ import annotations

from flask import Blueprint

from app.wishes import describe, review, settings
from app.wishes.models import Wish
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.wishes import (
    StaffWishQuery,
    WishDetailSchema,
    WishLimitsQuery,
    WishLimitsSchema,
    WishReasonSchema,
    WishSummarySchema,
)

bp = Blueprint("admin_wishes", __name__, url_prefix="/admin/api/v1/wishes")
ERRORS = ("wish.not_found", "wish.illegal_transition", "wish.changed", "permission.denied")


@endpoint(bp, "", auth="staff", query=StaffWishQuery, response=WishSummarySchema, paged=True,
          summary="心愿审核队列（review）或本辖区全部心愿（all）",
          errors=("permission.denied", "wish.bad_queue"))
def staff_list(actor, query):
    page = page_of(review.staff_wishes_query(actor, queue=query["queue"],
                                             status=query["status"],
                                             region_id=query["region_id"]),
                   Wish.id, cursor=query["cursor"], limit=query["limit"])
    page.items = describe.summaries(actor, page.items)
    return page


@endpoint(bp, "/settings", auth="staff", query=WishLimitsQuery, response=WishLimitsSchema,
          summary="本街道的心愿时限（认领完成天数、自动确认天数）",
          errors=("permission.denied", "wish.not_town"))
def limits(actor, query):
    return settings.get_limits(actor, query["town_id"])


@endpoint(bp, "/settings", method="PUT", auth="staff", body=WishLimitsSchema,
          response=WishLimitsSchema, summary="设置本街道的心愿时限（街道管理员）",
          errors=("permission.denied", "wish.not_town", "wish.bad_claim_days",
                  "wish.bad_auto_confirm_days"))
def configure(actor, data):
    return settings.configure_limits(actor, data["town_id"], claim_days=data["claim_days"],
                                     auto_confirm_days=data["auto_confirm_days"])


@endpoint(bp, "/<int:wish_id>", auth="staff", response=WishDetailSchema,
          summary="心愿详情（含内部记录）", errors=ERRORS)
def staff_detail(actor, wish_id):
    return describe.detail(actor, review.get_for_staff(actor, wish_id))


@endpoint(bp, "/<int:wish_id>/approve", method="POST", auth="staff",
          response=WishDetailSchema, summary="审核通过，上心愿墙", errors=ERRORS)
def approve(actor, wish_id):
    return describe.detail(actor, review.approve_wish(actor, wish_id))


@endpoint(bp, "/<int:wish_id>/reject", method="POST", auth="staff", body=WishReasonSchema,
          response=WishDetailSchema, summary="审核不通过（理由会告知许愿人）",
          errors=ERRORS + ("wish.reason_required",))
def reject(actor, wish_id, data):
    return describe.detail(actor, review.reject_wish(actor, wish_id, reason=data["reason"]))


@endpoint(bp, "/<int:wish_id>/take-down", method="POST", auth="staff", body=WishReasonSchema,
          response=WishDetailSchema, summary="下架心愿（须说明理由）",
          errors=ERRORS + ("wish.reason_required",))
def take_down(actor, wish_id, data):
    return describe.detail(actor, review.take_down_wish(actor, wish_id, reason=data["reason"]))
