"""Schemas of the 三资 ledger API: the staff books, import reports, residents' summary.

Money goes in as yuan text (``"1234.50"``, never a float) and comes out both as integer fen and
as yuan text.
"""

from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from app.assets_ledger import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.posts import Local


def _yuan(attr):
    return fields.Function(lambda row: None if getattr(row, attr) is None
                           else str(rules.yuan(getattr(row, attr))),
                           metadata={"description": "元，两位小数"})


def _date():
    return fields.Date(allow_none=True)


def MoneyText(**kwargs) -> fields.String:  # noqa: N802 - reads like the field class it makes
    """Yuan as text, validated by the ledger rules (at most two decimals, never a float)."""
    kwargs.setdefault("metadata", {"example": "1234.50", "description": "元，最多两位小数"})
    return fields.String(**kwargs)


class FundEntrySchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    period = fields.String()
    voucher_no = fields.String()
    entry_date = fields.Date()
    direction = fields.String()
    direction_name = fields.Function(lambda r: rules.FUND_DIRECTIONS.get(r.direction))
    category = fields.String()
    category_name = fields.Function(
        lambda r: rules.label(rules.FUND_CATEGORIES.get(r.direction, {}), r.category))
    summary = fields.String()
    amount_fen = fields.Integer()
    amount = _yuan("amount_fen")
    updated_at = Local()


class FundEntryBodySchema(Schema):
    village_id = fields.Integer(required=True)
    period = fields.String(required=True, metadata={"example": "2026-11"})
    voucher_no = fields.String(required=True)
    entry_date = fields.String(required=True, metadata={"example": "2026-11-05"})
    direction = fields.String(required=True,
                              metadata={"description": "income/expense 或 收入/支出"})
    category = fields.String(required=True)
    summary = fields.String(required=True)
    amount = MoneyText(required=True)


class FundPeriodSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    period = fields.String()
    opening_fen = fields.Integer()
    closing_fen = fields.Integer()
    opening = _yuan("opening_fen")
    closing = _yuan("closing_fen")
    updated_at = Local()


class FundPeriodBodySchema(Schema):
    village_id = fields.Integer(required=True)
    period = fields.String(required=True)
    opening = MoneyText(required=True)
    closing = MoneyText(required=True)


class BalanceSchema(Schema):
    period = fields.String()
    opening_fen = fields.Integer(allow_none=True)
    income_fen = fields.Integer()
    expense_fen = fields.Integer()
    closing_fen = fields.Integer(allow_none=True)
    difference_fen = fields.Integer(allow_none=True, metadata={
        "description": "期初 + 收入 − 支出 − 期末；0 表示账目平衡，null 表示未录入期初期末"})


class BalanceQuery(Schema):
    village_id = fields.Integer(required=True)
    period = fields.String(required=True)


class AssetSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    code = fields.String()
    name = fields.String()
    category = fields.String()
    category_name = fields.Function(lambda r: rules.label(rules.ASSET_CATEGORIES, r.category))
    value_fen = fields.Integer()
    value = _yuan("value_fen")
    acquired_on = _date()
    location = fields.String()
    status = fields.String()
    status_name = fields.Function(lambda r: rules.label(rules.ASSET_STATUSES, r.status))
    lease_holder = fields.String()
    lease_start = _date()
    lease_end = _date()
    lease_rent_fen = fields.Integer(allow_none=True)
    updated_at = Local()


class AssetBodySchema(Schema):
    village_id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(required=True)
    value = MoneyText(required=True)
    acquired_on = fields.String(load_default=None)
    location = fields.String(load_default="")
    status = fields.String(required=True, metadata={"description": "in_use/idle/leased/disposed"})
    lease_holder = fields.String(load_default="")
    lease_start = fields.String(load_default=None)
    lease_end = fields.String(load_default=None)
    lease_rent = MoneyText(load_default=None)


class ResourceSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_name = fields.Function(lambda r: rules.label(rules.RESOURCE_KINDS, r.kind))
    area_mu = fields.Function(lambda r: rules.parse_area(r.area_mu))
    location = fields.String()
    holder = fields.String()
    term_start = _date()
    term_end = _date()
    rent_fen = fields.Integer(allow_none=True)
    updated_at = Local()


class ResourceBodySchema(Schema):
    village_id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    area_mu = fields.String(required=True, metadata={"example": "12.50"})
    location = fields.String(load_default="")
    holder = fields.String(load_default="")
    term_start = fields.String(load_default=None)
    term_end = fields.String(load_default=None)
    rent = MoneyText(load_default=None)


class BooksQuery(PageQuery):
    village_id = fields.Integer(load_default=None)
    period = fields.String(load_default=None)


class VillageQuery(Schema):
    village_id = fields.Integer(required=True)


class ImportQuery(VillageQuery):
    dry_run = fields.Boolean(load_default=True, metadata={
        "description": "true（默认）只校验不导入；false 在全部行有效时导入"})


class RowErrorSchema(Schema):
    sheet = fields.String()
    row = fields.Integer(metadata={"description": "Excel 行号（表头为第 1 行）"})
    reasons = fields.List(fields.String())


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    imported = fields.Boolean(metadata={"description": "是否已写入（有错误行时一行也不导入）"})
    counts = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Integer()),
        metadata={"description": "每张表新增、变更、未变的行数"})
    errors = fields.List(fields.Nested(RowErrorSchema))


class PublicationBodySchema(Schema):
    village_id = fields.Integer(required=True)
    section = fields.String(required=True, validate=validate.OneOf(tuple(rules.SECTIONS)))
    period = fields.String(load_default=None, metadata={
        "description": "资金：月份 2026-11（须账目平衡）；资产、资源：默认今天"})
    title = fields.String(load_default=None, validate=validate.Length(max=100))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class SectionSummarySchema(Schema):
    section = fields.String()
    section_name = fields.Function(lambda s: rules.SECTIONS.get(s.section))
    period = fields.String()
    disclosure_id = fields.Integer()
    published_at = Local()
    sha256 = fields.String()
    totals = fields.Dict()


class LedgerSummarySchema(Schema):
    village_id = fields.Function(lambda s: s.village.id)
    village_name = fields.Function(lambda s: s.village.name)
    sections = fields.List(fields.Nested(SectionSummarySchema), metadata={
        "description": "各部分最近一次经财务公开发布的数据"})


class SummaryQuery(Schema):
    village_id = fields.Integer(load_default=None, metadata={
        "description": "不填为本人住户所在社区(村)"})


class SnapshotSchema(Schema):
    disclosure_id = fields.Integer()
    section = fields.String()
    period = fields.String()
    sha256 = fields.String(metadata={"description": "content 的 SHA-256，与透明日志记录一致"})
    content = fields.String(metadata={"description": "公开的明细（规范化 JSON 原文）"})
    data = fields.Function(lambda s: json.loads(s.content))
