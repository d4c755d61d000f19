"""Public, read-only transparency-log endpoints (``/api/v1/transparency``), no login needed.
Served from the read replica when one is configured (a checkpoint may lag by a few seconds).

What they return is what ``python -m app.transparency.verify`` checks offline.
"""

import functools

from flask import Blueprint

from app.transparency import services as tlog
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.transparency import (
    CheckpointSchema,
    ConsistencyProofSchema,
    ConsistencyQuerySchema,
    InclusionProofSchema,
    InclusionQuerySchema,
    LeafSchema,
    PublicKeySchema,
)

bp = Blueprint("transparency", __name__, url_prefix="/api/v1/transparency")
# Anonymous reads, served from the read replica when one is configured.
_public = functools.partial(endpoint, bp, auth=None, replica=True, tags=("transparency",))


@_public("/public-keys", response=PublicKeySchema, many=True,
         summary="签名检查点用过的全部公钥（含已轮换的）")
def public_keys():
    return tlog.list_public_keys()


@_public("/<town_code>/checkpoint", response=CheckpointSchema,
         summary="某街道(乡镇)透明日志最新的签名检查点及公钥",
         errors=("transparency.log_not_found", "transparency.no_checkpoint"))
def checkpoint(town_code):
    return tlog.latest_checkpoint(tlog.log_id_for(town_code))


@_public("/<town_code>/leaves/<int:index>", response=LeafSchema,
         summary="日志中的一条记录（规范 JSON 原文）及其叶子哈希",
         errors=("transparency.log_not_found", "transparency.leaf_not_found"))
def leaf(town_code, index):
    return tlog.get_leaf(tlog.log_id_for(town_code), index)


@_public("/<town_code>/records/<record_type>/<record_id>", response=LeafSchema,
         summary="按记录类型和编号查找它在日志中的位置",
         errors=("transparency.log_not_found", "transparency.record_not_found"))
def record(town_code, record_type, record_id):
    return tlog.leaf_for_record(tlog.log_id_for(town_code), record_type, record_id)


@_public("/<town_code>/proof/inclusion", query=InclusionQuerySchema,
         response=InclusionProofSchema,
         summary="包含证明：某条记录在前 tree_size 条中",
         errors=("transparency.log_not_found", "transparency.bad_tree_size",
                 "transparency.bad_index"))
def inclusion(town_code, query):
    return tlog.inclusion_proof(tlog.log_id_for(town_code), query["index"], query["tree_size"])


@_public("/<town_code>/proof/consistency", query=ConsistencyQuerySchema,
         response=ConsistencyProofSchema,
         summary="一致性证明：前 second 条是前 first 条的延续（旧记录未改）",
         errors=("transparency.log_not_found", "transparency.bad_range"))
def consistency(town_code, query):
    return tlog.consistency_proof(tlog.log_id_for(town_code), query["first"], query["second"])
