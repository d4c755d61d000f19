"""Schemas of the staff console's request pages: configuration, statistics and exports."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate

from app.clock import SHANGHAI
from app.requests import routing
from app.requests.setup import UNIT_KINDS
from app.requests.stats import GROUPS
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.requests import QueueQuery

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="代码只能使用小写字母、数字和下划线")


class UtcDateTime(fields.DateTime):
    """An ISO 8601 time loaded as naive UTC (how times are stored); a time without an offset
    is read as Asia/Shanghai, the time staff think in."""

    def _deserialize(self, value, attr, data, **kwargs):
        loaded: dt.datetime = super()._deserialize(value, attr, data, **kwargs)
        if loaded.tzinfo is None:
            loaded = loaded.replace(tzinfo=SHANGHAI)
        return loaded.astimezone(dt.UTC).replace(tzinfo=None)


class UnitSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    region_id = fields.Integer(attribute="region_id")
    region_name = fields.Function(lambda unit: unit.region.name)
    responsibilities = fields.Function(routing.responsibilities,
                                       metadata={"description": "职责清单（退单时按序号引用）"})
    active = fields.Boolean()


class UnitCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    region_id = fields.Integer(required=True)
    responsibilities = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                                   load_default=list, validate=validate.Length(max=50))


class RegionFilterQuery(PageQuery):
    region_id = fields.Integer(load_default=None, metadata={"description": "只看该区域内的"})


class UnitMemberCreateSchema(Schema):
    user_id = fields.Integer(required=True)


class UnitMemberSchema(Schema):
    id = fields.Integer()
    unit_id = fields.Integer(attribute="unit_id")
    user_id = fields.Integer(attribute="user_id")


class RoutingRuleSchema(Schema):
    id = fields.Integer()
    category_code = fields.String(metadata={"description": "空：该区域内所有类别（属地）"})
    region_id = fields.Integer(attribute="region_id")
    unit_id = fields.Integer(attribute="unit_id")
    unit_name = fields.Function(lambda rule: rule.unit.name)


class RoutingRuleCreateSchema(Schema):
    region_id = fields.Integer(required=True)
    unit_id = fields.Integer(required=True)
    category_code = fields.String(load_default="", validate=validate.Regexp(
        r"^([a-z][a-z0-9_]{0,31})?$", error="类别代码只能使用小写字母、数字和下划线"))


class TownCategoryQuery(PageQuery):
    town_id = fields.Integer(required=True)


class TownCategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    resolve_days = fields.Integer(allow_none=True, metadata={
        "description": "办理时限（工作日）；空：按诉求类型的默认时限"})
    active = fields.Boolean()
    customised = fields.Method("_customised", metadata={"description": "本街道已自定义"})

    def _customised(self, obj) -> bool:
        mine = getattr(obj, "customised", None)
        return mine if mine is not None else obj.town_id is not None


class CategorySaveSchema(Schema):
    town_id = fields.Integer(required=True)
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    resolve_days = fields.Integer(load_default=None, allow_none=True,
                                  validate=validate.Range(min=0, max=60))
    active = fields.Boolean(load_default=True)


class ExportQuery(QueueQuery):
    """The queue's filters without paging: an export holds every matching row."""

    created_from = UtcDateTime(load_default=None)
    created_to = UtcDateTime(load_default=None)

    class Meta:
        exclude = ("cursor", "limit")


class StatsQuery(Schema):
    group_by = fields.String(required=True, validate=validate.OneOf(GROUPS))
    region_id = fields.Integer(load_default=None)
    created_from = UtcDateTime(load_default=None)
    created_to = UtcDateTime(load_default=None)


class StatsRowSchema(Schema):
    key = fields.Raw(allow_none=True, metadata={"description": "区域 id、类别代码或 YYYY-MM"})
    label = fields.String()
    total = fields.Integer()
    resolved = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    avg_handling_hours = fields.Float(allow_none=True)
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer())
    satisfaction_rate = fields.Float(allow_none=True, metadata={
        "description": "（满意+基本满意）/ 已评价，未评价不计入"})
    hops = fields.Integer(metadata={"description": "退单与转办次数合计"})
    returned = fields.Integer(metadata={"description": "退单过的诉求数"})
