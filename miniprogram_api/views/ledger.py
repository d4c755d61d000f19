"""咱厝家底 for residents (``/api/v1/ledger``): the village's published 三资 figures and the rows
a published finance disclosure made public."""

from __future__ import annotations

from flask import Blueprint

from app.assets_ledger import publishing
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.ledger import LedgerSummarySchema, SnapshotSchema, SummaryQuery

bp = Blueprint("ledger", __name__, url_prefix="/api/v1/ledger")


@endpoint(bp, "/summary", query=SummaryQuery, response=LedgerSummarySchema,
          summary="咱厝家底：本村(社区)最近公开的资金、资产、资源概况",
          errors=("ledger.village_required", "ledger.not_found"))
def summary(actor, query):
    return publishing.ledger_summary(actor, village_id=query["village_id"])


@endpoint(bp, "/snapshots/<int:disclosure_id>", response=SnapshotSchema,
          summary="财务公开所附的三资明细（SHA-256 与透明日志一致）",
          errors=("disclosure.not_found", "ledger.not_found"))
def snapshot(actor, disclosure_id):
    return publishing.published_snapshot(actor, disclosure_id)
