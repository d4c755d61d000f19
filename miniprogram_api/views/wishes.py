"""微心愿 for residents (``/api/v1/wishes``): post a wish, the village wall, claim, fulfil,
confirm, thank, withdraw. Views load input, call one service, and present what the caller
may see (``app.wishes.describe``)."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.wishes import claims, describe, rules
from app.wishes import services as wishes
from app.wishes.models import Wish
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.wishes import (
    WishCategorySchema,
    WishCreateSchema,
    WishDetailSchema,
    WishFulfilSchema,
    WishReasonOptionalSchema,
    WishSummarySchema,
    WishThanksSchema,
    WishWallQuery,
)

bp = Blueprint("wishes", __name__, url_prefix="/api/v1")
ERRORS = ("wish.not_found", "wish.illegal_transition", "wish.changed")


def checker():
    return current_app.extensions["content_checker"]


def paged(actor, query, params):
    page = page_of(query, Wish.id, cursor=params["cursor"], limit=params["limit"])
    page.items = describe.summaries(actor, page.items)
    return page


@endpoint(bp, "/wish-categories", auth=None, response=WishCategorySchema, many=True,
          summary="微心愿类别")
def categories():
    return [{"code": code, "name": rules.CATEGORY_NAMES[code]} for code in rules.CATEGORIES]


@endpoint(bp, "/wishes", method="POST", body=WishCreateSchema, response=WishDetailSchema,
          status=201, summary="许下心愿（需已绑定住户；提交后由网格员或社区干部审核）",
          errors=("wish.household_required", "content.risky", "wish.deadline_in_past",
                  "media.not_found", "media.too_many"))
def create(actor, data):
    wish = wishes.create_wish(actor, category=data["category"], text=data["text"],
                              deadline=data["deadline"], photo_ids=tuple(data["photo_ids"]),
                              checker=checker())
    return describe.detail(actor, wish)


@endpoint(bp, "/wishes/mine", query=PageQuery, response=WishSummarySchema, paged=True,
          summary="我许下的心愿")
def mine(actor, query):
    return paged(actor, wishes.my_wishes_query(actor), query)


@endpoint(bp, "/wishes/claimed", query=PageQuery, response=WishSummarySchema, paged=True,
          summary="我认领的心愿")
def claimed(actor, query):
    return paged(actor, wishes.my_claims_query(actor), query)


@endpoint(bp, "/wishes/wall", query=WishWallQuery, response=WishSummarySchema, paged=True,
          summary="本社区(村)心愿墙（许愿人姓名已打码）",
          errors=("wish.household_required",))
def wall(actor, query):
    return paged(actor, wishes.wall_query(actor, status=query["status"]), query)


@endpoint(bp, "/wishes/<int:wish_id>", response=WishDetailSchema, summary="心愿详情",
          errors=("wish.not_found",))
def detail(actor, wish_id):
    return describe.detail(actor, wishes.get_wish(actor, wish_id))


@endpoint(bp, "/wishes/<int:wish_id>/claim", method="POST", response=WishDetailSchema,
          summary="认领心愿（志愿者或党员，且住在本社区(村)）",
          errors=ERRORS + ("wish.already_claimed", "wish.claim_not_allowed",
                           "wish.claim_outside_village", "wish.own_wish", "wish.past_deadline"))
def claim(actor, wish_id):
    return describe.detail(actor, claims.claim_wish(actor, wish_id))


@endpoint(bp, "/wishes/<int:wish_id>/release", method="POST", body=WishReasonOptionalSchema,
          response=WishDetailSchema, summary="放弃认领（心愿重新开放）",
          errors=ERRORS + ("wish.not_claimant",))
def release(actor, wish_id, data):
    return describe.detail(actor, claims.release_claim(actor, wish_id, reason=data["reason"]))


@endpoint(bp, "/wishes/<int:wish_id>/fulfil", method="POST", body=WishFulfilSchema,
          response=WishDetailSchema, summary="认领人标记心愿已完成（附说明和照片）",
          errors=ERRORS + ("wish.not_claimant", "content.risky", "media.not_found"))
def fulfil(actor, wish_id, data):
    return describe.detail(actor, claims.fulfil_wish(
        actor, wish_id, note=data["note"], photo_ids=tuple(data["photo_ids"]),
        checker=checker()))


@endpoint(bp, "/wishes/<int:wish_id>/confirm", method="POST", response=WishDetailSchema,
          summary="许愿人确认心愿已实现", errors=ERRORS + ("wish.not_wisher",))
def confirm(actor, wish_id):
    return describe.detail(actor, wishes.confirm_wish(actor, wish_id))


@endpoint(bp, "/wishes/<int:wish_id>/thanks", method="POST", body=WishThanksSchema,
          response=WishDetailSchema, summary="许愿人写感谢（确认后，一次）",
          errors=ERRORS + ("wish.not_wisher", "wish.already_thanked", "content.risky"))
def thanks(actor, wish_id, data):
    return describe.detail(actor, wishes.thank_claimant(actor, wish_id, text=data["text"],
                                                        checker=checker()))


@endpoint(bp, "/wishes/<int:wish_id>/withdraw", method="POST", body=WishReasonOptionalSchema,
          response=WishDetailSchema, summary="许愿人撤回心愿（完成前）",
          errors=ERRORS + ("wish.not_wisher",))
def withdraw(actor, wish_id, data):
    return describe.detail(actor, wishes.withdraw_wish(actor, wish_id, reason=data["reason"]))
