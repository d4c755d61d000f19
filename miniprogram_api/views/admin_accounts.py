"""Console pages of accounts (``/admin/api/v1``): users, role grants, flags, audit, regions."""

from flask import Blueprint

from app.accounts import grants, users
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.audit.services import audit_query
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, decode_cursor, encode_cursor, page_of
from miniprogram_api.schemas.admin import (
    AuditEntrySchema,
    AuditQuery,
    GrantCreateSchema,
    RegionOverviewSchema,
    RoleGrantSchema,
    StaffUserSchema,
    UserFlagsSchema,
    UserListQuery,
)

bp = Blueprint("admin_accounts", __name__, url_prefix="/admin/api/v1")


@endpoint(bp, "/users", auth="staff", query=UserListQuery, response=StaffUserSchema,
          paged=True, summary="辖区内的人员（手机号脱敏），可按手机号精确查找",
          errors=("phone.invalid", "region.not_found"))
def list_users(actor, query):
    rows = users.users_in_scope(actor, phone=query["phone"], region_id=query["region_id"])
    return page_of(rows, User.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/users/<int:user_id>/grants", method="POST", auth="staff",
          body=GrantCreateSchema, response=RoleGrantSchema, status=201,
          summary="授予角色（系统管理员，限本人授权范围内）",
          errors=("grant.bad_role", "grant.resident_from_binding", "grant.bad_region",
                  "grant.exists", "user.not_found"))
def create_grant(actor, user_id, data):
    return grants.grant_role(actor, user_id=user_id, **data)


@endpoint(bp, "/grants/<int:grant_id>", method="DELETE", auth="staff",
          response=RoleGrantSchema, summary="撤销角色授权",
          errors=("grant.not_found", "grant.already_revoked", "grant.own_grant",
                  "grant.resident_from_binding"))
def revoke_grant(actor, grant_id):
    return grants.revoke_grant(actor, grant_id)


@endpoint(bp, "/users/<int:user_id>/flags", method="POST", auth="staff",
          body=UserFlagsSchema, response=StaffUserSchema,
          summary="设置或取消志愿者、党员身份", errors=("user.not_found",))
def set_flags(actor, user_id, data):
    return grants.set_flags(actor, user_id, **data)


@endpoint(bp, "/audit", auth="staff", query=AuditQuery, response=AuditEntrySchema,
          paged=True, summary="审计日志（街道管理员看本街道，系统管理员看授权范围）")
def list_audit(actor, query):
    rows = audit_query(actor, action=query["action"], object_type=query["object_type"],
                       object_id=query["object_id"], actor_id=query["actor_id"])
    return page_of(rows, AuditEntry.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/regions/<int:region_id>", auth="staff", query=PageQuery,
          response=RegionOverviewSchema, summary="区域详情：上级链与下一级（按 id 翻页）",
          errors=("region.not_found",))
def region_overview(actor, region_id, query):
    result = grants.region_overview(actor, region_id, after_id=decode_cursor(query["cursor"]) or 0,
                                    limit=query["limit"])
    more = result.pop("has_more")
    result["next_cursor"] = encode_cursor(result["children"][-1].id) if more else None
    return result
