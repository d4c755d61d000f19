"""Console pages configuring requests (``/admin/api/v1``): handling units and their members,
routing rules (属地属事) and a town's categories with their time limits."""

from __future__ import annotations

import base64

from flask import Blueprint

from app.errors import InvalidInput
from app.requests import setup
from app.requests.models import HandlingUnit, RoutingRule
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, page_of
from miniprogram_api.schemas.requests_admin import (
    CategorySaveSchema,
    RegionFilterQuery,
    RoutingRuleCreateSchema,
    RoutingRuleSchema,
    TownCategoryQuery,
    TownCategorySchema,
    UnitCreateSchema,
    UnitMemberCreateSchema,
    UnitMemberSchema,
    UnitSchema,
)

bp = Blueprint("request_config", __name__, url_prefix="/admin/api/v1")
SCOPE_ERRORS = ("permission.denied", "region.not_found")


@endpoint(bp, "/request-units", auth="staff", query=RegionFilterQuery, response=UnitSchema,
          paged=True, summary="承办单位及其职责清单（本人配置范围内）", errors=SCOPE_ERRORS)
def list_units(actor, query):
    return page_of(setup.units_query(actor, region_id=query["region_id"]), HandlingUnit.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/request-units", method="POST", auth="staff", body=UnitCreateSchema,
          response=UnitSchema, status=201, summary="新建承办单位（含职责清单）",
          errors=SCOPE_ERRORS + ("request.bad_unit_kind",))
def create_unit(actor, data):
    return setup.create_unit(actor, **data)


@endpoint(bp, "/request-units/<int:unit_id>/members", method="POST", auth="staff",
          body=UnitMemberCreateSchema, response=UnitMemberSchema, status=201,
          summary="把工作人员加入承办单位（已是成员时原样返回）",
          errors=("permission.denied", "request.unit_not_found", "user.not_found"))
def add_member(actor, unit_id, data):
    return setup.add_unit_member(actor, unit_id, data["user_id"])


@endpoint(bp, "/routing-rules", auth="staff", query=RegionFilterQuery,
          response=RoutingRuleSchema, paged=True, summary="分办规则（属地属事）",
          errors=SCOPE_ERRORS)
def list_routing_rules(actor, query):
    return page_of(setup.routing_rules_query(actor, region_id=query["region_id"]),
                   RoutingRule.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/routing-rules", method="POST", auth="staff", body=RoutingRuleCreateSchema,
          response=RoutingRuleSchema, status=201, summary="新增分办规则",
          errors=SCOPE_ERRORS + ("request.unit_not_found", "request.unit_out_of_area"))
def add_routing_rule(actor, data):
    return setup.add_routing_rule(actor, **data)


@endpoint(bp, "/request-categories", auth="staff", query=TownCategoryQuery,
          response=TownCategorySchema, paged=True,
          summary="街道的诉求类别（默认类别叠加本街道的自定义，含办理时限，按代码翻页）",
          errors=SCOPE_ERRORS + ("request.category_needs_town", "pagination.bad_cursor"))
def list_categories(actor, query):
    items, more = setup.town_categories(actor, query["town_id"],
                                        after_code=_decode(query["cursor"]),
                                        limit=query["limit"])
    return Page(items, _encode(items[-1].code) if more and items else None)


@endpoint(bp, "/request-categories", method="PUT", auth="staff", body=CategorySaveSchema,
          response=TownCategorySchema,
          summary="保存本街道的类别（新增或覆盖默认类别的名称、时限、启停）",
          errors=SCOPE_ERRORS + ("request.category_needs_town", "request.bad_limit"))
def save_category(actor, data):
    return setup.save_category(actor, **data)


def _encode(code: str) -> str:
    return base64.urlsafe_b64encode(f"code:{code}".encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> str | None:
    """The category code after which a page starts (codes order the list, not ids)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, code = raw.split(":", 1)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("pagination.bad_cursor", "翻页参数无效，请从第一页重新加载") from exc
    if kind != "code":
        raise InvalidInput("pagination.bad_cursor", "翻页参数无效，请从第一页重新加载")
    return code
