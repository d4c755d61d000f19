"""公章监管 in the staff console (``/admin/api/v1``): seals, recording each use (checked against
the anomaly rules and published to the transparency log), and the log with its anomalies."""

from __future__ import annotations

from flask import Blueprint

from app.seals import services as seals
from app.seals.models import Seal, SealUse
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.seals import (
    SealBodySchema,
    SealQuery,
    SealSchema,
    SealUseBodySchema,
    SealUseQuery,
    SealUseSchema,
)

bp = Blueprint("admin_seals", __name__, url_prefix="/admin/api/v1")


@endpoint(bp, "/seals", auth="staff", query=SealQuery, response=SealSchema, paged=True,
          summary="本辖区的印章", errors=("permission.denied",))
def list_seals(actor, query):
    return page_of(seals.seals_query(actor, region_id=query["region_id"]), Seal.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/seals", method="POST", auth="staff", body=SealBodySchema, response=SealSchema,
          status=201, summary="登记村(社区)印章", errors=("seal.bad_seal", "permission.denied"))
def register(actor, data):
    return seals.register_seal(actor, village_id=data["village_id"], name=data["name"],
                               kind=data["kind"], keeper_user_id=data["keeper_user_id"])


@endpoint(bp, "/seals/<int:seal_id>/uses", method="POST", auth="staff",
          body=SealUseBodySchema, response=SealUseSchema, status=201,
          summary="登记一次用印（自动检查异常并通知纪检，写入透明日志）",
          errors=("seal.not_found", "seal.bad_power_item", "seal.bad_notice", "seal.bad_time",
                  "seal.personal_data", "permission.denied"))
def record_use(actor, seal_id, data):
    return seals.record_seal_use(actor, seal_id, **data)


@endpoint(bp, "/seal-uses", auth="staff", query=SealUseQuery, response=SealUseSchema,
          paged=True, summary="用印记录（flagged=true 为异常用印）", errors=("permission.denied",))
def list_uses(actor, query):
    return page_of(seals.uses_query(actor, flagged=query["flagged"],
                                    region_id=query["region_id"]),
                   SealUse.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/seal-uses/<int:use_id>", auth="staff", response=SealUseSchema,
          summary="用印记录详情", errors=("seal.use_not_found", "permission.denied"))
def use_detail(actor, use_id):
    return seals.load_use(actor, use_id)
