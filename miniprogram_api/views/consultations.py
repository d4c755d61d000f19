"""议事 consultations for residents (``/api/v1/consultations``): the topics of their village and
town, a topic's page, its comments, commenting, reporting a comment and answering the poll.
Views load input, call one service, and present what the caller may see
(``app.consultations.reading``)."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.consultations import comments, poll, reading
from app.consultations.models import Consultation, ConsultationComment
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.consultations import (
    ConsultationAnswerSchema,
    ConsultationCommentCreateSchema,
    ConsultationCommentSchema,
    ConsultationDetailSchema,
    ConsultationListQuery,
    ConsultationReportSchema,
    ConsultationSummarySchema,
)

bp = Blueprint("consultations", __name__, url_prefix="/api/v1/consultations")
RESIDENT = ("consultation.household_required", "consultation.not_found")


def checker():
    return current_app.extensions["content_checker"]


@endpoint(bp, "", query=ConsultationListQuery, response=ConsultationSummarySchema, paged=True,
          summary="本社区(村)与本街道的议事议题（需已绑定住户）", errors=RESIDENT[:1])
def index(actor, query):
    page = page_of(reading.list_query(actor, status=query["status"]), Consultation.id,
                   cursor=query["cursor"], limit=query["limit"])
    page.items = reading.summaries(actor, page.items)
    return page


@endpoint(bp, "/<int:consultation_id>", response=ConsultationDetailSchema,
          summary="议题详情：背景材料、投票、结果", errors=("consultation.not_found",))
def detail(actor, consultation_id):
    return reading.detail(actor, reading.get_consultation(actor, consultation_id))


@endpoint(bp, "/<int:consultation_id>/comments", query=PageQuery,
          response=ConsultationCommentSchema, paged=True,
          summary="议题的评论（评论人姓名已打码；含我自己被隐藏的评论及理由）", errors=RESIDENT)
def comment_list(actor, consultation_id, query):
    page = page_of(comments.public_comments_query(actor, consultation_id),
                   ConsultationComment.id, cursor=query["cursor"], limit=query["limit"])
    page.items = reading.comment_views(actor, page.items)
    return page


@endpoint(bp, "/<int:consultation_id>/comments", method="POST",
          body=ConsultationCommentCreateSchema, response=ConsultationCommentSchema, status=201,
          summary="发表评论（本区域居民，议事期内；经内容安全检查）",
          errors=RESIDENT + ("consultation.outside_region", "consultation.not_open",
                             "consultation.bad_comment", "content.risky"))
def comment_create(actor, consultation_id, data):
    comment = comments.create_comment(actor, consultation_id, content=data["content"],
                                      checker=checker())
    return reading.comment_views(actor, [comment])[0]


@endpoint(bp, "/comments/<int:comment_id>/report", method="POST",
          body=ConsultationReportSchema, response=ConsultationCommentSchema,
          summary="举报评论（每人每条一次；三位居民举报后暂时隐藏待复核）",
          errors=("consultation.household_required", "consultation.comment_not_found",
                  "consultation.outside_region", "consultation.own_comment",
                  "consultation.already_reported"))
def report(actor, comment_id, data):
    comment = comments.report_comment(actor, comment_id, reason=data["reason"])
    return reading.comment_views(actor, [comment])[0]


@endpoint(bp, "/<int:consultation_id>/answer", method="PUT", body=ConsultationAnswerSchema,
          response=ConsultationDetailSchema,
          summary="投票或修改投票（每人一份，议事期内可修改）",
          errors=RESIDENT + ("consultation.outside_region", "consultation.no_poll",
                             "consultation.not_open", "consultation.bad_answer"))
def answer(actor, consultation_id, data):
    poll.answer_poll(actor, consultation_id, option_ids=data["option_ids"])
    return reading.detail(actor, reading.get_consultation(actor, consultation_id))
