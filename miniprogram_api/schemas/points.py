"""Schemas of the points API (微星光): standing, statements, rankings, rules, the store."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.clock import iso
from app.points import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.requests_admin import UtcDateTime

KEY = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$", error="请求编号只能用字母、数字、- 和 _")


class Local(fields.Field):
    """A stored naive-UTC time rendered in Asia/Shanghai."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class PointsStandingSchema(Schema):
    account_id = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"description": "person 个人 / household 户"})
    balance = fields.Integer(metadata={"description": "可用积分（兑换会减少）"})
    earned = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "累计获得：month 本月、year 本年、all 全部"})
    stars = fields.Integer(metadata={"description": "星级（0 为尚未评星）"})
    star_period = fields.String(metadata={"description": "评星依据：all 累计 / year 本年"})
    thresholds = fields.List(fields.Integer())
    next_threshold = fields.Integer(allow_none=True)


class MyPointsSchema(Schema):
    person = fields.Nested(PointsStandingSchema)
    household = fields.Nested(PointsStandingSchema,
                              metadata={"description": "本户（星级文明户）"})


class PointsLineSchema(Schema):
    id = fields.Integer()
    at = Local()
    amount = fields.Integer(metadata={"description": "正数为收入，负数为支出"})
    balance_after = fields.Integer()
    event_type = fields.String()
    event_name = fields.String()
    source_ref = fields.String()
    counterparty_kind = fields.String()
    quantity = fields.Integer(allow_none=True,
                              metadata={"description": "次数；按小时计分的规则为分钟数"})
    reason = fields.String()
    reverses_id = fields.Integer(allow_none=True)
    rule_id = fields.Integer(allow_none=True)
    rule_version = fields.Integer(allow_none=True)
    rule_points = fields.Integer(allow_none=True)
    rule_unit = fields.String(allow_none=True)


class PointsLinesQuery(PageQuery):
    kind = fields.String(load_default="person",
                         validate=validate.OneOf(rules.RANKED_KINDS))


class PointsRankingQuery(Schema):
    scope = fields.String(load_default="village", validate=validate.OneOf(rules.SCOPE_LEVELS))
    period = fields.String(load_default="month", validate=validate.OneOf(rules.PERIOD_KINDS))
    kind = fields.String(load_default="person", validate=validate.OneOf(rules.RANKED_KINDS))


class PointsStaffRankingQuery(Schema):
    region_id = fields.Integer(required=True,
                               metadata={"description": "网格、社区(村)或街道的区域 id"})
    period = fields.String(load_default="month", validate=validate.OneOf(rules.PERIOD_KINDS))
    kind = fields.String(load_default="person", validate=validate.OneOf(rules.RANKED_KINDS))


class PointsRankRowSchema(Schema):
    rank = fields.Integer()
    account_id = fields.Integer()
    points = fields.Integer()
    reached_at = Local()
    name = fields.String()
    stars = fields.Integer()


class PointsRankingSchema(Schema):
    scope_level = fields.String()
    region_id = fields.Integer()
    period_kind = fields.String()
    period = fields.String()
    account_kind = fields.String()
    rows = fields.List(fields.Nested(PointsRankRowSchema))
    mine = fields.Nested(PointsRankRowSchema, allow_none=True,
                         metadata={"description": "我的名次（未上榜为空）"})
    tie_rule = fields.Constant("积分高者在前；积分相同，先达到该积分者在前")


class PointsRuleSchema(Schema):
    id = fields.Integer()
    scope_region_id = fields.Integer(allow_none=True,
                                     metadata={"description": "空表示全区默认规则"})
    event_type = fields.String()
    name = fields.String()
    version = fields.Integer()
    points = fields.Integer()
    unit = fields.String(metadata={"description": "event 每次 / hour 每小时"})
    effective_from = Local()
    effective_to = Local()
    reason = fields.String()


class PointsRuleCreateSchema(Schema):
    region_id = fields.Integer(required=True)
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=48))
    points = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    unit = fields.String(load_default="event", validate=validate.OneOf(rules.UNITS))
    name = fields.String(load_default="", validate=validate.Length(max=50))
    reason = fields.String(load_default="", validate=validate.Length(max=200))
    effective_from = UtcDateTime(load_default=None, metadata={
        "description": "生效时间（默认立即；不带时区按上海时间）"})


class PointsRuleEndSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class PointsRegionPageQuery(PageQuery):
    region_id = fields.Integer(required=True)


class StarSchemeCreateSchema(Schema):
    region_id = fields.Integer(required=True)
    account_kind = fields.String(required=True, validate=validate.OneOf(rules.RANKED_KINDS))
    period_kind = fields.String(load_default="all", validate=validate.OneOf(("all", "year")))
    thresholds = fields.List(fields.Integer(), required=True,
                             validate=validate.Length(min=1, max=rules.MAX_STARS))


class StarSchemeSchema(Schema):
    id = fields.Integer()
    scope_region_id = fields.Integer(allow_none=True)
    account_kind = fields.String()
    period_kind = fields.String()
    thresholds = fields.Function(lambda s: rules.parse_thresholds(s.thresholds))
    version = fields.Integer()


class PointsPoolCreateSchema(Schema):
    village_id = fields.Integer(required=True)


class PointsAccountSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "pool 积分池 / person / household / sink"})
    owner_id = fields.Integer()
    balance = fields.Integer()
    grid_id = fields.Integer(allow_none=True)
    village_id = fields.Integer(allow_none=True)
    town_id = fields.Integer(allow_none=True)
    created_at = Local()


class PointsAccountDetailSchema(Schema):
    account = fields.Nested(PointsAccountSchema)
    standing = fields.Nested(PointsStandingSchema)


class PointsAccountsQuery(PageQuery):
    region_id = fields.Integer(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(
        ("pool", "person", "household", "sink")))


class PointsTransferSchema(Schema):
    id = fields.Integer()
    from_account_id = fields.Integer()
    to_account_id = fields.Integer()
    amount = fields.Integer()
    source_ref = fields.String()
    event_type = fields.String()
    rule_id = fields.Integer(allow_none=True)
    rule_version = fields.Integer(allow_none=True)
    quantity = fields.Integer(allow_none=True)
    reason = fields.String()
    reverses_id = fields.Integer(allow_none=True)
    created_at = Local()


class PointsReverseSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    amount = fields.Integer(load_default=None, validate=validate.Range(min=1))
    request_key = fields.String(load_default=None, validate=KEY)


class PointsAwardSchema(Schema):
    user_id = fields.Integer(load_default=None)
    household_id = fields.Integer(load_default=None)
    points = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    request_key = fields.String(required=True, validate=KEY)


class PointsEventSchema(Schema):
    id = fields.Integer()
    event_type = fields.String()
    source_ref = fields.String()
    beneficiary_user_id = fields.Integer(allow_none=True)
    beneficiary_household_id = fields.Integer(allow_none=True)
    region_id = fields.Integer()
    quantity = fields.Integer()
    status = fields.String(metadata={"description": "pending 待入账 / credited / no_points"})
    waiting_for = fields.String(allow_none=True, metadata={
        "description": "rule 无规则 / pool 未开设积分池 / beneficiary_unbound 未绑定住户"})
    transfer_id = fields.Integer(allow_none=True)
    occurred_at = Local()
    credited_at = Local()


class PointsEventsQuery(PageQuery):
    status = fields.String(load_default=None,
                           validate=validate.OneOf(("pending", "credited", "no_points")))


class StoreItemSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer()
    name = fields.String()
    description = fields.String()
    cost = fields.Integer()
    stock = fields.Integer()
    active = fields.Boolean()


class StoreItemCreateSchema(Schema):
    village_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    description = fields.String(load_default="", validate=validate.Length(max=500))
    cost = fields.Integer(required=True, validate=validate.Range(min=1, max=1_000_000))
    stock = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class StoreItemUpdateSchema(Schema):
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=50))
    description = fields.String(load_default=None, validate=validate.Length(max=500))
    cost = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1_000_000))
    active = fields.Boolean(load_default=None)
    stock_change = fields.Integer(load_default=0, validate=validate.Range(
        min=-1_000_000, max=1_000_000), metadata={"description": "补货为正，核减为负"})


class StoreItemsQuery(PageQuery):
    village_id = fields.Integer(required=True)


class PointsRedeemSchema(Schema):
    item_id = fields.Integer(required=True)
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=20))
    request_key = fields.String(required=True, validate=KEY, metadata={
        "description": "客户端生成的编号：重复提交只兑换一次"})


class RedemptionSchema(Schema):
    id = fields.Integer()
    item_id = fields.Integer()
    user_id = fields.Integer()
    quantity = fields.Integer()
    points = fields.Integer()
    status = fields.String(metadata={"description": "reserved 待领取 / handed_over / cancelled"})
    transfer_id = fields.Integer()
    refund_transfer_id = fields.Integer(allow_none=True)
    created_at = Local()
    handed_over_at = Local()
    cancelled_at = Local()
    cancel_reason = fields.String()


class RedemptionsQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("reserved", "handed_over", "cancelled")))


class RedemptionCancelSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=200))
