"""Staff side of points (``/admin/api/v1/points``): pools, rules, star thresholds, accounts and
their statements, awards, reversals, the event inbox, rankings and the village store."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint

from app.points import awards, queries, setup, store
from app.points.models import PointsAccount, PointsEvent, PointsRule, Redemption, StoreItem
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, decode_cursor, page_of
from miniprogram_api.schemas.points import (
    PointsAccountDetailSchema,
    PointsAccountSchema,
    PointsAccountsQuery,
    PointsAwardSchema,
    PointsEventSchema,
    PointsEventsQuery,
    PointsLineSchema,
    PointsPoolCreateSchema,
    PointsRankingSchema,
    PointsRegionPageQuery,
    PointsReverseSchema,
    PointsRuleCreateSchema,
    PointsRuleEndSchema,
    PointsRuleSchema,
    PointsStaffRankingQuery,
    PointsTransferSchema,
    RedemptionCancelSchema,
    RedemptionSchema,
    RedemptionsQuery,
    StarSchemeCreateSchema,
    StarSchemeSchema,
    StoreItemCreateSchema,
    StoreItemSchema,
    StoreItemsQuery,
    StoreItemUpdateSchema,
)
from miniprogram_api.views.points import statement_page

bp = Blueprint("admin_points", __name__, url_prefix="/admin/api/v1/points")
DENIED = ("permission.denied",)


@endpoint(bp, "/pools", method="POST", auth="staff", body=PointsPoolCreateSchema,
          response=PointsAccountSchema, status=201, summary="开设社区(村)积分池",
          errors=(*DENIED, "region.not_found", "points.not_a_village"))
def open_pool(actor, data):
    return setup.open_pool(actor, data["village_id"])


@endpoint(bp, "/rules", auth="staff", query=PointsRegionPageQuery, response=PointsRuleSchema,
          paged=True, summary="适用于该区域的积分规则及全部历史版本", errors=DENIED)
def rule_history(actor, query):
    return page_of(setup.rule_history(actor, query["region_id"]), PointsRule.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/rules", method="POST", auth="staff", body=PointsRuleCreateSchema,
          response=PointsRuleSchema, status=201,
          summary="发布积分规则新版本（旧版本在新版本生效时停止）",
          errors=(*DENIED, "points.bad_rule", "points.not_configurable_here",
                  "points.rule_changed"))
def set_rule(actor, data):
    return setup.set_rule(actor, region_id=data["region_id"], event_type=data["event_type"],
                          points=data["points"], unit=data["unit"], name=data["name"],
                          reason=data["reason"],
                          effective_from=data["effective_from"])


@endpoint(bp, "/rules/<int:rule_id>/end", method="POST", auth="staff", body=PointsRuleEndSchema,
          response=PointsRuleSchema, summary="停止一条积分规则",
          errors=(*DENIED, "points.rule_not_found", "points.rule_ended"))
def end_rule(actor, rule_id, data):
    return setup.end_rule(actor, rule_id, reason=data["reason"])


@endpoint(bp, "/star-schemes", method="POST", auth="staff", body=StarSchemeCreateSchema,
          response=StarSchemeSchema, status=201,
          summary="设置星级门槛（个人或星级文明户）",
          errors=(*DENIED, "points.bad_stars", "points.not_configurable_here"))
def set_stars(actor, data):
    return setup.set_star_scheme(actor, region_id=data["region_id"],
                                 account_kind=data["account_kind"],
                                 period_kind=data["period_kind"],
                                 thresholds=data["thresholds"])


@endpoint(bp, "/accounts", auth="staff", query=PointsAccountsQuery,
          response=PointsAccountSchema, paged=True, summary="辖区内的积分账户", errors=DENIED)
def accounts(actor, query):
    return page_of(queries.staff_accounts(actor, region_id=query["region_id"],
                                          kind=query["kind"]),
                   PointsAccount.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/accounts/<int:account_id>", auth="staff", response=PointsAccountDetailSchema,
          summary="积分账户详情：余额、累计、星级", errors=("points.account_not_found",))
def account(actor, account_id):
    return SimpleNamespace(account=queries.staff_account(actor, account_id),
                           standing=queries.staff_standing(actor, account_id))


@endpoint(bp, "/accounts/<int:account_id>/lines", auth="staff", query=PageQuery,
          response=PointsLineSchema, paged=True,
          summary="账户明细：每一笔的来源、规则及版本、余额（评先评优的依据）",
          errors=("points.account_not_found",))
def account_lines(actor, account_id, query):
    return statement_page(queries.staff_statement(
        actor, account_id, before_id=decode_cursor(query["cursor"]), limit=query["limit"]))


@endpoint(bp, "/transfers/<int:transfer_id>", auth="staff", response=PointsTransferSchema,
          summary="一笔积分流水", errors=("points.transfer_not_found",))
def transfer(actor, transfer_id):
    return queries.staff_transfer(actor, transfer_id)


@endpoint(bp, "/transfers/<int:transfer_id>/reverse", method="POST", auth="staff",
          body=PointsReverseSchema, response=PointsTransferSchema, status=201,
          summary="冲正（可部分冲正，须填写理由；个人积分与户积分一并冲正）",
          errors=(*DENIED, "points.transfer_not_found", "points.bad_reversal",
                  "points.reversal_too_large", "points.not_reversible",
                  "points.already_reversed", "points.insufficient_balance"))
def reverse(actor, transfer_id, data):
    return awards.reverse_transfer(actor, transfer_id, reason=data["reason"],
                                   amount=data["amount"], request_key=data["request_key"])


@endpoint(bp, "/awards", method="POST", auth="staff", body=PointsAwardSchema,
          response=PointsEventSchema, status=201, summary="奖励积分（须填写理由，不超过规则上限）",
          errors=(*DENIED, "points.beneficiary_not_found", "points.bad_award",
                  "points.award_too_large", "points.no_rule", "points.no_pool"))
def award(actor, data):
    return awards.award_points(actor, user_id=data["user_id"],
                               household_id=data["household_id"], points=data["points"],
                               reason=data["reason"], request_key=data["request_key"])


@endpoint(bp, "/events", auth="staff", query=PointsEventsQuery, response=PointsEventSchema,
          paged=True, summary="积分事件（待入账的注明原因）", errors=DENIED)
def events(actor, query):
    return page_of(queries.staff_events(actor, status=query["status"]), PointsEvent.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/rankings", auth="staff", query=PointsStaffRankingQuery,
          response=PointsRankingSchema,
          summary="网格、社区(村)或街道的积分排行（个人或户；本月、本年、累计）",
          errors=(*DENIED, "points.bad_ranking", "region.not_found"))
def rankings(actor, query):
    return queries.staff_ranking(actor, region_id=query["region_id"],
                                 period_kind=query["period"], account_kind=query["kind"])


@endpoint(bp, "/items", auth="staff", query=StoreItemsQuery, response=StoreItemSchema,
          paged=True, summary="爱心超市物品（含已下架）", errors=(*DENIED, "region.not_found"))
def items(actor, query):
    return page_of(store.staff_items(actor, query["village_id"]), StoreItem.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/items", method="POST", auth="staff", body=StoreItemCreateSchema,
          response=StoreItemSchema, status=201, summary="爱心超市上架物品",
          errors=(*DENIED, "points.bad_item", "points.not_a_village"))
def create_item(actor, data):
    return store.create_item(actor, **data)


@endpoint(bp, "/items/<int:item_id>", method="PATCH", auth="staff", body=StoreItemUpdateSchema,
          response=StoreItemSchema, summary="修改物品、上下架、补货或核减库存",
          errors=(*DENIED, "points.item_not_found", "points.bad_item", "points.out_of_stock"))
def update_item(actor, item_id, data):
    return store.update_item(actor, item_id, **data)


@endpoint(bp, "/redemptions", auth="staff", query=RedemptionsQuery, response=RedemptionSchema,
          paged=True, summary="辖区爱心超市的兑换记录", errors=DENIED)
def redemptions(actor, query):
    return page_of(store.staff_redemptions(actor, status=query["status"]), Redemption.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/redemptions/<int:redemption_id>/hand-over", method="POST", auth="staff",
          response=RedemptionSchema, summary="确认已交付兑换物品",
          errors=(*DENIED, "points.redemption_not_found", "points.redemption_closed"))
def hand_over(actor, redemption_id):
    return store.hand_over(actor, redemption_id)


@endpoint(bp, "/redemptions/<int:redemption_id>/cancel", method="POST", auth="staff",
          body=RedemptionCancelSchema, response=RedemptionSchema,
          summary="取消兑换（积分退回、库存恢复，须填写理由）",
          errors=(*DENIED, "points.redemption_not_found", "points.redemption_closed",
                  "points.bad_reversal"))
def cancel_redemption(actor, redemption_id, data):
    return store.cancel_redemption(actor, redemption_id, reason=data["reason"])
