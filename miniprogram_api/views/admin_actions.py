"""Staff side of actions (``/admin/api/v1/actions``): publish and run actions in scope, show
the check-in codes, record attendance, approve resident organisers, and print a volunteer's
service record."""

from __future__ import annotations

from flask import Blueprint

from app.actions import attendance, records, services
from app.actions.models import Action, ActionOrganiser, ActionSignup
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, page_of
from miniprogram_api.schemas.actions import (
    ActionAttendanceSchema,
    ActionCancelSchema,
    ActionCreateSchema,
    ActionDetailSchema,
    ActionListQuery,
    ActionOrganiserCreateSchema,
    ActionOrganiserSchema,
    ActionQrCodeSchema,
    ActionQrQuery,
    ActionSchema,
    ActionSignupSchema,
    ActionStaffServiceRecordQuery,
    ActionUpdateSchema,
)
from miniprogram_api.views.actions import (
    ATTENDANCE_ERRORS,
    MANAGE,
    download,
    present_action,
    present_signup,
)

bp = Blueprint("admin_actions", __name__, url_prefix="/admin/api/v1/actions")


@endpoint(bp, "", auth="staff", query=ActionListQuery, response=ActionSchema, paged=True,
          summary="辖区内的微行动", errors=("permission.denied",))
def list_actions(actor, query):
    return page_of(services.staff_actions(actor, status=query["status"],
                                          upcoming=query["upcoming"]),
                   Action.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "", method="POST", auth="staff", body=ActionCreateSchema,
          response=ActionDetailSchema, status=201, summary="发布微行动",
          errors=("permission.denied", "action.bad_action", "action.bad_time",
                  "action.bad_region", "action.bad_points_rule"))
def create(actor, data):
    return present_action(actor, services.create_action(actor, **data))


@endpoint(bp, "/<int:action_id>", auth="staff", response=ActionDetailSchema,
          summary="微行动详情", errors=("action.not_found",))
def detail(actor, action_id):
    return present_action(actor, services.get_action(actor, action_id))


@endpoint(bp, "/<int:action_id>", method="PATCH", auth="staff", body=ActionUpdateSchema,
          response=ActionDetailSchema, summary="修改微行动（增加名额自动递补候补）",
          errors=(*MANAGE, "action.bad_action"))
def update(actor, action_id, data):
    return present_action(actor, services.update_action(actor, action_id, **data))


@endpoint(bp, "/<int:action_id>/cancel", method="POST", auth="staff", body=ActionCancelSchema,
          response=ActionDetailSchema, summary="取消微行动（通知已报名者）",
          errors=(*MANAGE, "action.reason_required"))
def cancel(actor, action_id, data):
    return present_action(actor, services.cancel_action(actor, action_id, reason=data["reason"]))


@endpoint(bp, "/<int:action_id>/qr", auth="staff", query=ActionQrQuery, response=ActionQrCodeSchema,
          summary="当前签到/签退二维码（每分钟更新）", errors=MANAGE)
def qr(actor, action_id, query):
    return attendance.qr_code(actor, action_id, query["phase"])


@endpoint(bp, "/<int:action_id>/signups", auth="staff", query=PageQuery,
          response=ActionSignupSchema, paged=True, summary="报名与考勤名单", errors=MANAGE)
def roster(actor, action_id, query):
    page = page_of(attendance.signups_of(actor, action_id), ActionSignup.id,
                   cursor=query["cursor"], limit=query["limit"])
    return Page([present_signup(s) for s in page.items], page.next_cursor)


@endpoint(bp, "/signups/<int:signup_id>/attendance", method="POST", auth="staff",
          body=ActionAttendanceSchema, response=ActionSignupSchema,
          summary="记录考勤：确认、更正（须填理由）或不予确认；确认的时长按规则计入积分",
          errors=ATTENDANCE_ERRORS)
def decide(actor, signup_id, data):
    return present_signup(attendance.decide_attendance(
        actor, signup_id, decision=data["decision"], minutes=data["minutes"],
        reason=data["reason"]))


@endpoint(bp, "/organisers", auth="staff", query=PageQuery, response=ActionOrganiserSchema,
          paged=True, summary="辖区内经批准的居民活动组织者", errors=("permission.denied",))
def list_organisers(actor, query):
    return page_of(services.organisers(actor), ActionOrganiser.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/organisers", method="POST", auth="staff", body=ActionOrganiserCreateSchema,
          response=ActionOrganiserSchema, status=201, summary="批准居民为活动组织者",
          errors=("permission.denied", "action.user_not_found", "action.bad_region",
                  "action.already_organiser"))
def approve(actor, data):
    return services.approve_organiser(actor, **data)


@endpoint(bp, "/organisers/<int:organiser_id>/revoke", method="POST", auth="staff",
          response=ActionOrganiserSchema, summary="撤销活动组织者",
          errors=("permission.denied", "action.organiser_not_found"))
def revoke(actor, organiser_id):
    return services.revoke_organiser(actor, organiser_id)


@endpoint(bp, "/volunteers/<int:user_id>/service-record.xlsx", auth="staff",
          query=ActionStaffServiceRecordQuery, produces=(records.FORMATS["xlsx"],),
          summary="志愿者服务记录（Excel；记入审计）",
          errors=("permission.denied", "action.user_not_found", "region.not_found"))
def record_xlsx(actor, user_id, query):
    service = records.volunteer_service_record(actor, user_id,
                                               issuer_region_id=query["issuer_region_id"])
    return download(records.write_xlsx(service), "xlsx", "record")


@endpoint(bp, "/volunteers/<int:user_id>/service-record.pdf", auth="staff",
          query=ActionStaffServiceRecordQuery, produces=(records.FORMATS["pdf"],),
          summary="志愿服务记录证明（PDF；记入审计）",
          errors=("permission.denied", "action.user_not_found", "region.not_found"))
def record_pdf(actor, user_id, query):
    service = records.volunteer_service_record(actor, user_id,
                                               issuer_region_id=query["issuer_region_id"])
    return download(records.write_pdf(service), "pdf", "certificate")
