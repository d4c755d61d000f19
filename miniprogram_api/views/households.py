"""Household bindings (resident and staff sides) and the public region picker.

Routes carry their full prefix (``/api/v1`` for the mini-program, ``/admin/api/v1`` for the
console), so the blueprint has none.
"""

from flask import Blueprint

from app.accounts import bindings
from app.accounts.models import HouseholdBinding
from app.regions import services as regions
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, decode_cursor, encode_cursor, page_of
from miniprogram_api.schemas.households import (
    BindingApproveSchema,
    BindingListQuery,
    BindingRejectSchema,
    BindingRequestSchema,
    BindingSchema,
    RegionNodeSchema,
    StaffBindingSchema,
)

bp = Blueprint("households", __name__)
_DECIDE_ERRORS = ("binding.not_found", "binding.already_decided", "binding.own_request")


@endpoint(bp, "/api/v1/household-bindings", method="POST", body=BindingRequestSchema,
          response=BindingSchema, status=201, summary="申请绑定住户（门牌、姓名、与户主关系）",
          errors=("binding.not_household", "binding.pending_exists", "binding.already_bound"))
def request_binding(actor, data):
    binding = bindings.request_binding(actor, **data)
    return bindings.describe([binding])[0]


@endpoint(bp, "/api/v1/household-bindings", response=BindingSchema, many=True,
          summary="我的住户绑定申请及审核结果")
def my_bindings(actor):
    return bindings.my_bindings(actor)


@endpoint(bp, "/admin/api/v1/household-bindings", auth="staff", query=BindingListQuery,
          response=StaffBindingSchema, paged=True, summary="辖区内的住户绑定申请（默认待审核）")
def list_bindings(actor, query):
    rows = bindings.bindings_in_scope(actor, status=query["status"])
    page = page_of(rows, HouseholdBinding.id, cursor=query["cursor"], limit=query["limit"])
    return Page(bindings.describe(page.items, with_user=True), page.next_cursor)


@endpoint(bp, "/admin/api/v1/household-bindings/<int:binding_id>/approve", method="POST",
          auth="staff", body=BindingApproveSchema, response=StaffBindingSchema,
          summary="通过住户绑定申请", errors=_DECIDE_ERRORS)
def approve_binding(actor, binding_id, data):
    binding = bindings.approve_binding(actor, binding_id, reason=data["reason"])
    return bindings.describe([binding], with_user=True)[0]


@endpoint(bp, "/admin/api/v1/household-bindings/<int:binding_id>/reject", method="POST",
          auth="staff", body=BindingRejectSchema, response=StaffBindingSchema,
          summary="驳回住户绑定申请（须填写原因）",
          errors=(*_DECIDE_ERRORS, "binding.reason_required"))
def reject_binding(actor, binding_id, data):
    binding = bindings.reject_binding(actor, binding_id, reason=data["reason"])
    return bindings.describe([binding], with_user=True)[0]


@endpoint(bp, "/api/v1/regions", auth=None, query=PageQuery, response=RegionNodeSchema,
          paged=True, replica=True, summary="地址选择：顶层区域（公开）")
def region_roots(query):
    return _ascending(None, query)


@endpoint(bp, "/api/v1/regions/<int:region_id>/children", auth=None, query=PageQuery,
          response=RegionNodeSchema, paged=True, replica=True,
          summary="地址选择：某区域的下一级（公开）", errors=("region.not_found",))
def region_children(region_id, query):
    regions.get_region(region_id)
    return _ascending(region_id, query)


def _ascending(region_id, query) -> Page:
    # The picker lists children in creation order (ascending id), unlike newest-first lists.
    limit = query["limit"]
    rows = regions.children(region_id, after_id=decode_cursor(query["cursor"]) or 0,
                            limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)
