"""我要举报, the officers' side (``/admin/api/v1/reports``): keys, queue, reading, workflow,
notes, messages, reveal, recusal, audit trail, statistics; and the configuration town admins
and sysadmins may touch (retention, village heads).

Views pass the caller's bearer token to the services as ``session_token``: the unlocked key of
a session is encrypted under it (``app.reports.keys``). Every response is ``no-store`` and no
access-log line or log text is written for these paths (``views.reports.guard``).
"""

from __future__ import annotations

from flask import Blueprint, Response

from app.reports import handling, keys, reveal, setup, stats
from app.reports.models import Report
from miniprogram_api.api import endpoint
from miniprogram_api.auth import bearer_token
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.reports import (
    AuditItemSchema,
    IdentitySchema,
    KeyPasswordSchema,
    KeyStateSchema,
    OfficerTextSchema,
    QueueItemSchema,
    RecusedSchema,
    ReportDetailSchema,
    ReportQueueQuery,
    RetentionSchema,
    RevealDecisionSchema,
    RevealReasonSchema,
    StatsQuery,
    StatsSchema,
    TransitionSchema,
    VillageHeadSchema,
)
from miniprogram_api.views.reports import guard

bp = Blueprint("admin_reports", __name__, url_prefix="/admin/api/v1/reports")
guard(bp)
ERRORS = ("report.not_found", "report.key_locked", "report.key_pending", "permission.denied")


@endpoint(bp, "/keys", auth="staff", response=KeyStateSchema, summary="我的举报密钥状态")
def key_state(actor):
    return keys.key_state(actor, session_token=bearer_token())


@endpoint(bp, "/keys", method="POST", auth="staff", body=KeyPasswordSchema, status=201,
          response=KeyStateSchema, summary="设置举报密钥（密钥口令不同于登录密码，丢失无法找回）",
          errors=("report.key_exists", "password.too_short", "password.too_simple"))
def set_up_key(actor, data):
    keys.set_up_key(actor, data["key_password"])
    return keys.key_state(actor, session_token=bearer_token())


@endpoint(bp, "/keys/unlock", method="POST", auth="staff", body=KeyPasswordSchema,
          response=KeyStateSchema, summary="输入密钥口令，在本次登录中解锁（30 分钟）",
          errors=("report.no_key", "report.bad_key_password", "report.too_many_attempts"))
def unlock_key(actor, data):
    keys.unlock_key(actor, data["key_password"], session_token=bearer_token())
    return keys.key_state(actor, session_token=bearer_token())


@endpoint(bp, "/keys/lock", method="POST", auth="staff", response=KeyStateSchema,
          summary="锁定举报密钥（离开时使用）")
def lock_key(actor):
    keys.lock_key(actor, session_token=bearer_token())
    return keys.key_state(actor, session_token=bearer_token())


@endpoint(bp, "", auth="staff", query=ReportQueueQuery, response=QueueItemSchema, paged=True,
          summary="我承办或监督的举报（不含内容）", errors=("report.bad_queue",))
def queue(actor, query):
    page = page_of(handling.queue_query(actor, query["queue"]), Report.id,
                   cursor=query["cursor"], limit=query["limit"])
    page.items = handling.present_queue(actor, page.items)
    return page


@endpoint(bp, "/statistics", auth="staff", query=StatsQuery, response=StatsSchema,
          summary="举报统计（小于 5 的数字显示为 <5）", errors=("report.bad_group",))
def statistics(actor, query):
    return stats.report_stats(actor, group_by=query["group_by"])


@endpoint(bp, "/<int:report_id>", auth="staff", response=ReportDetailSchema,
          summary="查看举报（需已解锁密钥；每次查看均留痕）", errors=ERRORS)
def read(actor, report_id):
    return handling.read_report(actor, report_id, session_token=bearer_token())


@endpoint(bp, "/<int:report_id>/transition", method="POST", auth="staff",
          body=TransitionSchema, response=ReportDetailSchema,
          summary="办理流转：受理/不予受理（理由告知举报人）/初步核实/办理/办结（结论告知举报人）",
          errors=ERRORS + ("report.illegal_transition", "report.changed",
                           "report.text_required"))
def transition(actor, report_id, data):
    return handling.transition_report(actor, report_id, to=data["to"], text=data["text"],
                                      session_token=bearer_token())


@endpoint(bp, "/<int:report_id>/notes", method="POST", auth="staff", body=OfficerTextSchema,
          response=ReportDetailSchema, summary="内部记录（举报人看不到）", errors=ERRORS)
def note(actor, report_id, data):
    return handling.add_note(actor, report_id, data["text"], session_token=bearer_token())


@endpoint(bp, "/<int:report_id>/messages", method="POST", auth="staff",
          body=OfficerTextSchema, response=ReportDetailSchema,
          summary="给举报人留言（举报人凭回执码查看）", errors=ERRORS + ("report.closed",))
def message(actor, report_id, data):
    return handling.send_message(actor, report_id, data["text"], session_token=bearer_token())


@endpoint(bp, "/<int:report_id>/recuse", method="POST", auth="staff", response=RecusedSchema,
          summary="回避：删除我的密钥副本，此后不再接触该举报", errors=("report.not_found",))
def recuse(actor, report_id):
    return handling.recuse(actor, report_id)


@endpoint(bp, "/<int:report_id>/audit", auth="staff", query=PageQuery,
          response=AuditItemSchema, paged=True,
          summary="该举报的全部留痕（查看、流转、身份揭示），上一级可见",
          errors=("report.not_found",))
def audit_trail(actor, report_id, query):
    from app.audit.models import AuditEntry

    return page_of(handling.audit_trail(actor, report_id), AuditEntry.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/<int:report_id>/attachments/<int:attachment_id>", auth="staff",
          produces=("image/jpeg", "image/png", "image/webp"),
          summary="查看举报附件图片（每次查看均留痕）",
          errors=ERRORS + ("report.attachment_not_found",))
def attachment(actor, report_id, attachment_id):
    mime, data = handling.open_attachment(actor, report_id, attachment_id,
                                          session_token=bearer_token())
    response = Response(data, mimetype=mime)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@endpoint(bp, "/<int:report_id>/reveal-requests", method="POST", auth="staff",
          body=RevealReasonSchema, response=ReportDetailSchema, status=201,
          summary="书面申请查看实名举报人身份（须另一名同级或上级纪检干部批准）",
          errors=ERRORS + ("report.anonymous", "report.reveal_pending",
                           "report.reason_required"))
def request_reveal(actor, report_id, data):
    return reveal.request_reveal(actor, report_id, data["reason"],
                                 session_token=bearer_token())


DECIDE_ERRORS = ("report.not_found", "report.reveal_not_found", "report.self_approval",
                 "report.reveal_decided")


@endpoint(bp, "/<int:report_id>/reveal-requests/<int:reveal_id>/approve", method="POST",
          auth="staff", response=RevealDecisionSchema, errors=DECIDE_ERRORS,
          summary="批准查看举报人身份的申请（须为另一名同级或上级纪检干部，不能批准自己的申请）")
def approve_reveal(actor, report_id, reveal_id):
    return reveal.decide_reveal(actor, report_id, reveal_id, approve=True)


@endpoint(bp, "/<int:report_id>/reveal-requests/<int:reveal_id>/refuse", method="POST",
          auth="staff", response=RevealDecisionSchema, errors=DECIDE_ERRORS,
          summary="驳回查看举报人身份的申请")
def refuse_reveal(actor, report_id, reveal_id):
    return reveal.decide_reveal(actor, report_id, reveal_id, approve=False)


@endpoint(bp, "/<int:report_id>/reveal", method="POST", auth="staff", response=IdentitySchema,
          summary="查看已获批准的举报人身份（每次均留痕，上一级可见）",
          errors=ERRORS + ("report.reveal_not_approved",))
def reveal_identity(actor, report_id):
    return reveal.reveal_identity(actor, report_id, session_token=bearer_token())


@endpoint(bp, "/settings/retention", method="PUT", auth="staff", body=RetentionSchema,
          response=RetentionSchema, summary="设置办结举报的保存期限（街道或区县）",
          errors=("report.bad_region", "report.bad_retention", "region.not_found"))
def set_retention(actor, data):
    return setup.set_retention(actor, region_id=data["region_id"],
                               retention_days=data["retention_days"])


@endpoint(bp, "/settings/village-heads", method="PUT", auth="staff", body=VillageHeadSchema,
          response=VillageHeadSchema, summary="标记社区(村)主要负责人：举报其本人时提交上一级",
          errors=("report.bad_region", "report.not_a_cadre", "region.not_found"))
def set_village_head(actor, data):
    return setup.set_village_head(actor, village_id=data["village_id"], user_id=data["user_id"],
                                  is_head=data["is_head"])
