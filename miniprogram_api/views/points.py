"""Residents' points (``/api/v1/points``): my points and stars, my statement line by line,
rankings of my grid / village / town, the rules, and my village's 爱心超市."""

from __future__ import annotations

from flask import Blueprint

from app.clock import utcnow
from app.points import ledger, policies, queries, setup, store
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, decode_cursor, encode_cursor, page_of
from miniprogram_api.schemas.points import (
    MyPointsSchema,
    PointsLineSchema,
    PointsLinesQuery,
    PointsRankingQuery,
    PointsRankingSchema,
    PointsRedeemSchema,
    PointsRuleSchema,
    RedemptionCancelSchema,
    RedemptionSchema,
    StoreItemSchema,
)

bp = Blueprint("points", __name__, url_prefix="/api/v1/points")
RESIDENT = ("points.not_resident",)


def statement_page(statement: ledger.Statement) -> Page:
    cursor = (encode_cursor(statement.next_before_id)
              if statement.next_before_id is not None else None)
    return Page(statement.lines, cursor)


@endpoint(bp, "/me", response=MyPointsSchema, summary="我的积分、星级与本户（星级文明户）积分",
          errors=RESIDENT)
def my_points(actor):
    return queries.my_points(actor)


@endpoint(bp, "/me/lines", query=PointsLinesQuery, response=PointsLineSchema, paged=True,
          summary="积分明细：每一笔的来源、规则及版本、余额", errors=RESIDENT)
def my_lines(actor, query):
    return statement_page(queries.my_statement(
        actor, kind=query["kind"], before_id=decode_cursor(query["cursor"]),
        limit=query["limit"]))


@endpoint(bp, "/rankings", query=PointsRankingQuery, response=PointsRankingSchema,
          summary="本网格、本社区(村)或本街道的积分排行（本月、本年、累计）及我的名次",
          errors=(*RESIDENT, "points.bad_ranking"))
def rankings(actor, query):
    return queries.my_ranking(actor, scope_level=query["scope"], period_kind=query["period"],
                              account_kind=query["kind"])


@endpoint(bp, "/rules", response=PointsRuleSchema, many=True,
          summary="本地现行积分规则（每类事件得多少分）", errors=RESIDENT)
def current_rules(actor):
    policies.require_resident(actor)
    return setup.rules_in_force(actor.household_path, utcnow())


@endpoint(bp, "/items", query=PageQuery, response=StoreItemSchema, paged=True,
          summary="本社区(村)爱心超市可兑换的物品", errors=RESIDENT)
def items(actor, query):
    return page_of(store.resident_items(actor), store.StoreItem.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/redemptions", method="POST", body=PointsRedeemSchema, response=RedemptionSchema,
          status=201, summary="兑换物品（扣减积分与库存；重复提交只兑换一次）",
          errors=(*RESIDENT, "points.item_not_found", "points.insufficient_balance",
                  "points.out_of_stock", "points.item_inactive"))
def redeem(actor, data):
    return store.redeem_item(actor, data["item_id"], quantity=data["quantity"],
                             request_key=data["request_key"])


@endpoint(bp, "/redemptions", query=PageQuery, response=RedemptionSchema, paged=True,
          summary="我的兑换记录", errors=RESIDENT)
def my_redemptions(actor, query):
    return page_of(store.my_redemptions(actor), store.Redemption.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/redemptions/<int:redemption_id>/cancel", method="POST",
          body=RedemptionCancelSchema, response=RedemptionSchema,
          summary="取消尚未领取的兑换（积分退回）",
          errors=("points.redemption_not_found", "points.redemption_closed"))
def cancel_redemption(actor, redemption_id, data):
    return store.cancel_redemption(actor, redemption_id, reason=data["reason"])
