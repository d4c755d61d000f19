"""三资 books in the staff console (``/admin/api/v1/ledger``): fund entries and periods, assets,
resources, Excel import (dry run first) and export, and drafting their finance disclosure."""

from __future__ import annotations

from flask import Blueprint, Response

from app.assets_ledger import publishing, workbook
from app.assets_ledger import services as ledger
from app.assets_ledger.models import Asset, FundEntry, FundPeriod, Resource
from app.regions.services import get_region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.disclosures import StaffDisclosureSchema
from miniprogram_api.schemas.ledger import (
    AssetBodySchema,
    AssetSchema,
    BalanceQuery,
    BalanceSchema,
    BooksQuery,
    FundEntryBodySchema,
    FundEntrySchema,
    FundPeriodBodySchema,
    FundPeriodSchema,
    ImportQuery,
    ImportReportSchema,
    LedgerSummarySchema,
    PublicationBodySchema,
    ResourceBodySchema,
    ResourceSchema,
    VillageQuery,
)
from miniprogram_api.views.admin_disclosures import present as present_disclosure

bp = Blueprint("admin_ledger", __name__, url_prefix="/admin/api/v1/ledger")
WRITE_ERRORS = ("ledger.bad_village", "ledger.invalid_row", "permission.denied")
MODELS = {"fund_entry": FundEntry, "fund_period": FundPeriod, "asset": Asset,
          "resource": Resource}


def _save(actor, kind, data):
    values = dict(data)
    village_id = values.pop("village_id")
    row_id = ledger.save_row(actor, kind, village_id=village_id, values=values)
    return ledger.load_row(actor, kind, row_id)


def _list(actor, kind, query):
    return page_of(ledger.rows_query(actor, kind, village_id=query["village_id"],
                                     period=query["period"]),
                   MODELS[kind].id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/fund-entries", auth="staff", query=BooksQuery, response=FundEntrySchema,
          paged=True, summary="资金收支明细", errors=("permission.denied",))
def fund_entries(actor, query):
    return _list(actor, "fund_entry", query)


@endpoint(bp, "/fund-entries", method="POST", auth="staff", body=FundEntryBodySchema,
          response=FundEntrySchema, summary="登记或更正一笔收支（按期间+凭证号匹配）",
          errors=WRITE_ERRORS)
def save_fund_entry(actor, data):
    return _save(actor, "fund_entry", data)


@endpoint(bp, "/fund-periods", auth="staff", query=BooksQuery, response=FundPeriodSchema,
          paged=True, summary="各月期初、期末余额", errors=("permission.denied",))
def fund_periods(actor, query):
    return _list(actor, "fund_period", query)


@endpoint(bp, "/fund-periods", method="PUT", auth="staff", body=FundPeriodBodySchema,
          response=FundPeriodSchema, summary="录入某月期初、期末余额", errors=WRITE_ERRORS)
def save_fund_period(actor, data):
    return _save(actor, "fund_period", data)


@endpoint(bp, "/fund-periods/balance", auth="staff", query=BalanceQuery,
          response=BalanceSchema, summary="某月账目是否平衡（期初 + 收入 − 支出 = 期末）",
          errors=("ledger.bad_period", "permission.denied"))
def balance(actor, query):
    return ledger.period_balance(actor, village_id=query["village_id"], period=query["period"])


@endpoint(bp, "/assets", auth="staff", query=BooksQuery, response=AssetSchema, paged=True,
          summary="资产登记簿", errors=("permission.denied",))
def assets(actor, query):
    return _list(actor, "asset", query)


@endpoint(bp, "/assets", method="POST", auth="staff", body=AssetBodySchema,
          response=AssetSchema, summary="登记或更新一项资产（按资产编号匹配）",
          errors=WRITE_ERRORS)
def save_asset(actor, data):
    return _save(actor, "asset", data)


@endpoint(bp, "/resources", auth="staff", query=BooksQuery, response=ResourceSchema,
          paged=True, summary="资源登记簿（耕地、林地、水面等）", errors=("permission.denied",))
def resources(actor, query):
    return _list(actor, "resource", query)


@endpoint(bp, "/resources", method="POST", auth="staff", body=ResourceBodySchema,
          response=ResourceSchema, summary="登记或更新一处资源（按资源编号匹配）",
          errors=WRITE_ERRORS)
def save_resource(actor, data):
    return _save(actor, "resource", data)


@endpoint(bp, "/import", method="POST", auth="staff", query=ImportQuery, files=("file",),
          response=ImportReportSchema,
          summary="从 Excel 导入三资账目：先试导入列出每个错误行；有错误行时一行也不导入",
          errors=("ledger.bad_file", "ledger.no_known_sheet", "permission.denied"))
def import_books(actor, query, files):
    data = files["file"].stream.read(workbook.MAX_BYTES + 1)
    return workbook.import_workbook(actor, village_id=query["village_id"], data=data,
                                    dry_run=query["dry_run"])


@endpoint(bp, "/export.xlsx", auth="staff", query=VillageQuery,
          produces=(workbook.CONTENT_TYPE,),
          summary="导出三资账目为 Excel（格式与导入相同）", errors=("permission.denied",))
def export_books(actor, query):
    data = workbook.export_workbook(actor, village_id=query["village_id"])
    response = Response(data, content_type=workbook.CONTENT_TYPE)
    name = workbook.export_filename(get_region(query["village_id"]).code)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@endpoint(bp, "/publications", method="POST", auth="staff", body=PublicationBodySchema,
          response=StaffDisclosureSchema, status=201,
          summary="把资金（某月）、资产或资源账目生成财务公开草稿（审核后公开才对居民可见）",
          errors=("ledger.unbalanced", "ledger.period_missing", "ledger.too_large",
                  "ledger.bad_period", "permission.denied"))
def draft_publication(actor, data):
    return present_disclosure(publishing.draft_ledger_disclosure(
        actor, village_id=data["village_id"], section=data["section"], period=data["period"],
        title=data["title"], note=data["note"]))


@endpoint(bp, "/summary", auth="staff", query=VillageQuery, response=LedgerSummarySchema,
          summary="本村(社区)已公开的三资概况（与居民所见相同）", errors=("ledger.not_found",))
def staff_summary(actor, query):
    return publishing.ledger_summary(actor, village_id=query["village_id"])
