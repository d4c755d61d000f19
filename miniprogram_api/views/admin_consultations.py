"""议事 consultations in the staff console (``/admin/api/v1/consultations``): draft, edit,
publish, close, publish the outcome, withdraw; the comments of a topic and the moderation queue;
hide and restore comments."""

from __future__ import annotations

from flask import Blueprint

from app.consultations import comments, reading, topics
from app.consultations.models import Consultation, ConsultationComment
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.consultations import (
    ConsultationCommentSchema,
    ConsultationCreateSchema,
    ConsultationDetailSchema,
    ConsultationOutcomeSchema,
    ConsultationReasonSchema,
    ConsultationSummarySchema,
    ConsultationWriteSchema,
    ModerationQueueQuery,
    StaffCommentQuery,
    StaffConsultationQuery,
)

bp = Blueprint("admin_consultations", __name__, url_prefix="/admin/api/v1/consultations")
ERRORS = ("consultation.not_found", "consultation.illegal_transition", "consultation.changed",
          "permission.denied")
WRITE_ERRORS = ("consultation.bad_title", "consultation.bad_background",
                "consultation.closes_in_past", "consultation.bad_times", "consultation.bad_poll",
                "consultation.bad_notice", "consultation.bad_project", "media.not_found")
COMMENT_ERRORS = ("consultation.comment_not_found", "consultation.comment_illegal_transition",
                  "consultation.comment_changed", "permission.denied")


def _draft(data: dict) -> topics.Draft:
    return topics.Draft(title=data["title"], background=data["background"],
                        closes_at=data["closes_at"], opens_at=data["opens_at"],
                        poll=data["poll"], notice_id=data["notice_id"],
                        project_id=data["project_id"], photo_ids=tuple(data["photo_ids"]))


def _comments_page(actor, query, params):
    page = page_of(query, ConsultationComment.id, cursor=params["cursor"],
                   limit=params["limit"])
    page.items = reading.comment_views(actor, page.items)
    return page


@endpoint(bp, "", auth="staff", query=StaffConsultationQuery,
          response=ConsultationSummarySchema, paged=True, summary="本辖区的议事议题",
          errors=("permission.denied", "consultation.bad_status"))
def staff_list(actor, query):
    page = page_of(topics.staff_query(actor, status=query["status"],
                                      region_id=query["region_id"]),
                   Consultation.id, cursor=query["cursor"], limit=query["limit"])
    page.items = reading.summaries(actor, page.items)
    return page


@endpoint(bp, "", method="POST", auth="staff", body=ConsultationCreateSchema,
          response=ConsultationDetailSchema, status=201,
          summary="起草议题（社区干部、街道管理员）",
          errors=("permission.denied", "region.not_found", "consultation.bad_region")
          + WRITE_ERRORS)
def create(actor, data):
    consultation = topics.create_consultation(actor, region_id=data["region_id"],
                                              draft=_draft(data))
    return reading.detail(actor, consultation)


@endpoint(bp, "/comments", auth="staff", query=ModerationQueueQuery,
          response=ConsultationCommentSchema, paged=True,
          summary="评论复核队列（默认：被举报暂时隐藏、待复核的评论）",
          errors=("permission.denied", "consultation.bad_status"))
def queue(actor, query):
    return _comments_page(actor, comments.moderation_queue(
        actor, status=query["status"], region_id=query["region_id"]), query)


@endpoint(bp, "/<int:consultation_id>", auth="staff", response=ConsultationDetailSchema,
          summary="议题详情（含投票实时结果）", errors=ERRORS)
def staff_detail(actor, consultation_id):
    return reading.detail(actor, topics.load_for_staff(actor, consultation_id))


@endpoint(bp, "/<int:consultation_id>", method="PUT", auth="staff",
          body=ConsultationWriteSchema, response=ConsultationDetailSchema,
          summary="修改草稿议题", errors=ERRORS + WRITE_ERRORS)
def update(actor, consultation_id, data):
    return reading.detail(actor, topics.update_consultation(actor, consultation_id,
                                                            draft=_draft(data)))


@endpoint(bp, "/<int:consultation_id>/publish", method="POST", auth="staff",
          response=ConsultationDetailSchema,
          summary="发布议题（到开始时间即开放讨论）",
          errors=ERRORS + ("consultation.closes_in_past",))
def publish(actor, consultation_id):
    return reading.detail(actor, topics.publish_consultation(actor, consultation_id))


@endpoint(bp, "/<int:consultation_id>/close", method="POST", auth="staff",
          response=ConsultationDetailSchema, summary="提前截止讨论与投票", errors=ERRORS)
def close(actor, consultation_id):
    return reading.detail(actor, topics.close_consultation(actor, consultation_id))


@endpoint(bp, "/<int:consultation_id>/outcome", method="POST", auth="staff",
          body=ConsultationOutcomeSchema, response=ConsultationDetailSchema,
          summary="公布议事结果（须写明决定与理由，与投票结果一并公开）",
          errors=ERRORS + ("consultation.outcome_required", "consultation.reason_required"))
def outcome(actor, consultation_id, data):
    return reading.detail(actor, topics.publish_outcome(
        actor, consultation_id, outcome=data["outcome"], reason=data["reason"]))


@endpoint(bp, "/<int:consultation_id>/withdraw", method="POST", auth="staff",
          body=ConsultationReasonSchema, response=ConsultationDetailSchema,
          summary="撤回议题（须说明理由）", errors=ERRORS + ("consultation.reason_required",))
def withdraw(actor, consultation_id, data):
    return reading.detail(actor, topics.withdraw_consultation(actor, consultation_id,
                                                              reason=data["reason"]))


@endpoint(bp, "/<int:consultation_id>/comments", auth="staff", query=StaffCommentQuery,
          response=ConsultationCommentSchema, paged=True,
          summary="议题的全部评论（含待审核、已隐藏）", errors=ERRORS[:1] + ERRORS[3:])
def staff_comments(actor, consultation_id, query):
    return _comments_page(actor, comments.staff_comments_query(
        actor, consultation_id, status=query["status"]), query)


@endpoint(bp, "/comments/<int:comment_id>/hide", method="POST", auth="staff",
          body=ConsultationReasonSchema, response=ConsultationCommentSchema,
          summary="隐藏评论（须说明理由，评论人可见）",
          errors=COMMENT_ERRORS + ("consultation.reason_required",))
def hide(actor, comment_id, data):
    comment = comments.hide_comment(actor, comment_id, reason=data["reason"])
    return reading.comment_views(actor, [comment])[0]


@endpoint(bp, "/comments/<int:comment_id>/restore", method="POST", auth="staff",
          response=ConsultationCommentSchema, summary="恢复显示评论（复核后）",
          errors=COMMENT_ERRORS)
def restore(actor, comment_id):
    comment = comments.restore_comment(actor, comment_id)
    return reading.comment_views(actor, [comment])[0]
