"""Residents' actions (``/api/v1/actions``): find actions to join, sign up or give a place up,
scan the organiser's code to check in and out, download one's service record. Residents the
village approved as organisers publish and run their own actions here too."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, Response

from app.actions import attendance, records, services, signups
from app.actions.models import Action, ActionSignup
from app.clock import utcnow
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, page_of
from miniprogram_api.schemas.actions import (
    ActionAttendanceSchema,
    ActionCancelSchema,
    ActionCreateSchema,
    ActionDetailSchema,
    ActionMySignupSchema,
    ActionQrCodeSchema,
    ActionQrQuery,
    ActionScanSchema,
    ActionSchema,
    ActionServiceRecordQuery,
    ActionSignupSchema,
    ActionUpdateSchema,
)

bp = Blueprint("actions", __name__, url_prefix="/api/v1/actions")
FOUND = ("action.not_found",)
QR_REFUSALS = ("action.qr_invalid", "action.qr_expired", "action.qr_wrong_action",
               "action.qr_wrong_phase", "action.not_signed_up", "action.closed",
               "action.not_in_progress")
MANAGE = (*FOUND, "permission.denied", "action.closed")


def present_signup(signup: ActionSignup | None, action: Action | None = None):
    if signup is None:
        return None
    action = action or Action.get_by_id(signup.action_id)
    data = {k: v for k, v in signup.__data__.items() if k not in ("action", "user")}
    return SimpleNamespace(**data, action_id=signup.action_id, user_id=signup.user_id,
                           waitlist_position=signups.waitlist_position(signup),
                           suggested_minutes=attendance.suggested_minutes(signup, action),
                           action=action)


def present_action(actor, action: Action):
    mine = signups.my_signup(actor, action.id) if actor else None
    data = {k: v for k, v in action.__data__.items() if k != "organiser"}
    return SimpleNamespace(**data, organiser_id=action.organiser_id,
                           mine=present_signup(mine, action))


@endpoint(bp, "", query=PageQuery, response=ActionSchema, paged=True,
          summary="我可以报名的微行动（本人住户所在范围内、尚未结束）",
          errors=("action.not_resident",))
def eligible(actor, query):
    return page_of(services.eligible_actions(actor), Action.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/mine", query=PageQuery, response=ActionMySignupSchema, paged=True,
          summary="我的报名与考勤")
def mine(actor, query):
    page = page_of(signups.my_signups(actor), ActionSignup.id, cursor=query["cursor"],
                   limit=query["limit"])
    return Page([present_signup(s, s.action) for s in page.items], page.next_cursor)


@endpoint(bp, "/organised", query=PageQuery, response=ActionSchema, paged=True,
          summary="我组织的微行动")
def organised(actor, query):
    return page_of(services.organised_by_me(actor), Action.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "", method="POST", body=ActionCreateSchema, response=ActionDetailSchema,
          status=201, summary="发布微行动（经批准的居民组织者）",
          errors=("permission.denied", "action.bad_action", "action.bad_time",
                  "action.bad_region", "action.bad_points_rule"))
def create(actor, data):
    return present_action(actor, services.create_action(actor, **data))


@endpoint(bp, "/<int:action_id>", response=ActionDetailSchema, summary="微行动详情及我的报名",
          errors=FOUND)
def detail(actor, action_id):
    return present_action(actor, services.get_action(actor, action_id))


@endpoint(bp, "/<int:action_id>", method="PATCH", body=ActionUpdateSchema,
          response=ActionDetailSchema, summary="修改微行动（组织者；增加名额自动递补候补）",
          errors=(*MANAGE, "action.bad_action"))
def update(actor, action_id, data):
    return present_action(actor, services.update_action(actor, action_id, **data))


@endpoint(bp, "/<int:action_id>/cancel", method="POST", body=ActionCancelSchema,
          response=ActionDetailSchema, summary="取消微行动（组织者；通知已报名者）",
          errors=(*MANAGE, "action.reason_required"))
def cancel(actor, action_id, data):
    return present_action(actor, services.cancel_action(actor, action_id, reason=data["reason"]))


@endpoint(bp, "/<int:action_id>/signup", method="POST", response=ActionSignupSchema,
          summary="报名（满员则进入候补）", errors=(*FOUND, "action.closed"))
def sign_up(actor, action_id):
    return present_signup(signups.sign_up(actor, action_id))


@endpoint(bp, "/<int:action_id>/signup/cancel", method="POST", response=ActionSignupSchema,
          summary="取消报名（候补者自动递补）",
          errors=(*FOUND, "action.not_signed_up", "action.cancel_closed",
                  "action.already_checked_in"))
def cancel_signup(actor, action_id):
    return present_signup(signups.cancel_signup(actor, action_id))


@endpoint(bp, "/<int:action_id>/check-in", method="POST", body=ActionScanSchema,
          response=ActionSignupSchema, summary="扫码签到",
          errors=(*FOUND, *QR_REFUSALS, "action.already_checked_in"))
def check_in(actor, action_id, data):
    return present_signup(attendance.check_in(actor, action_id, data["token"]))


@endpoint(bp, "/<int:action_id>/check-out", method="POST", body=ActionScanSchema,
          response=ActionSignupSchema, summary="扫码签退",
          errors=(*FOUND, *QR_REFUSALS, "action.not_checked_in", "action.already_checked_out"))
def check_out(actor, action_id, data):
    return present_signup(attendance.check_out(actor, action_id, data["token"]))


@endpoint(bp, "/<int:action_id>/qr", query=ActionQrQuery, response=ActionQrCodeSchema,
          summary="当前签到/签退二维码（组织者；每分钟更新）", errors=MANAGE)
def qr(actor, action_id, query):
    return attendance.qr_code(actor, action_id, query["phase"])


@endpoint(bp, "/<int:action_id>/signups", query=PageQuery, response=ActionSignupSchema,
          paged=True, summary="报名与考勤名单（组织者）", errors=MANAGE)
def roster(actor, action_id, query):
    page = page_of(attendance.signups_of(actor, action_id), ActionSignup.id,
                   cursor=query["cursor"], limit=query["limit"])
    return Page([present_signup(s) for s in page.items], page.next_cursor)


ATTENDANCE_ERRORS = ("action.signup_not_found", "action.not_found", "permission.denied",
                     "action.bad_decision", "action.reason_required", "action.not_started",
                     "action.not_checked_out", "action.already_decided", "action.not_attending")


@endpoint(bp, "/signups/<int:signup_id>/attendance", method="POST",
          body=ActionAttendanceSchema, response=ActionSignupSchema,
          summary="记录考勤：确认、更正（须填理由）或不予确认；确认的时长按规则计入积分",
          errors=ATTENDANCE_ERRORS)
def decide(actor, signup_id, data):
    return present_signup(attendance.decide_attendance(
        actor, signup_id, decision=data["decision"], minutes=data["minutes"],
        reason=data["reason"]))


def download(data: bytes, fmt: str, kind: str) -> Response:
    response = Response(data, content_type=records.FORMATS[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{records.filename(kind, fmt, utcnow())}"')
    response.headers["Cache-Control"] = "no-store"
    return response


@endpoint(bp, "/service-record.xlsx", query=ActionServiceRecordQuery,
          produces=(records.FORMATS["xlsx"],), summary="我的志愿服务记录（Excel）")
def my_record_xlsx(actor, query):
    service = records.my_service_record(actor, issuer_region_id=query["issuer_region_id"])
    return download(records.write_xlsx(service), "xlsx", "record")


@endpoint(bp, "/service-record.pdf", query=ActionServiceRecordQuery,
          produces=(records.FORMATS["pdf"],),
          summary="我的志愿服务记录证明（PDF，注明出具单位与服务时长）",
          errors=("action.issuer_required", "region.not_found"))
def my_record_pdf(actor, query):
    issuer = query["issuer_region_id"] or records.home_issuer(actor)
    service = records.my_service_record(actor, issuer_region_id=issuer)
    return download(records.write_pdf(service), "pdf", "certificate")
