"""村务/党务/财务公开 in the staff console (``/admin/api/v1``): drafts, review, publication,
corrections, residents' questions, and the disclosure cadence with its overdue list. Views
only load, call one service, and present."""

from __future__ import annotations

from flask import Blueprint

from app.disclosures import cadence, questions, rules
from app.disclosures import services as disclosures
from app.disclosures.models import Disclosure, DisclosureDue, DisclosureQuestion
from app.regions.models import Region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.disclosures import (
    AnswerBodySchema,
    CorrectionSchema,
    DisclosureCreateSchema,
    DisclosureUpdateSchema,
    DueQuery,
    DueSchema,
    ReasonSchema,
    ReviewNoteSchema,
    RhythmBodySchema,
    RhythmSchema,
    StaffDisclosureQuery,
    StaffDisclosureSchema,
    StaffDisclosureSummarySchema,
    StaffQuestionQuery,
    StaffQuestionSchema,
)
from miniprogram_api.views.disclosures import present as present_public

bp = Blueprint("admin_disclosures", __name__, url_prefix="/admin/api/v1")
ERRORS = ("disclosure.not_found", "disclosure.published_immutable",
          "disclosure.illegal_transition", "disclosure.changed", "permission.denied")


def present(disclosure):
    disclosure = (Disclosure.select(Disclosure, Region)
                  .join(Region, on=(Disclosure.region == Region.id))
                  .where(Disclosure.id == disclosure.id).get())
    disclosure.allowed_actions = rules.allowed_actions(disclosure.status)
    return present_public(disclosure, published_only=False)


@endpoint(bp, "/disclosures", auth="staff", query=StaffDisclosureQuery,
          response=StaffDisclosureSummarySchema, paged=True,
          summary="本辖区的公开事项（各状态）", errors=("permission.denied",))
def staff_list(actor, query):
    return page_of(disclosures.staff_disclosures_query(
        actor, status=query["status"], kind=query["kind"], region_id=query["region_id"]),
        Disclosure.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/disclosures", method="POST", auth="staff", body=DisclosureCreateSchema,
          response=StaffDisclosureSchema, status=201,
          summary="起草公开事项（村务、党务、财务）",
          errors=("disclosure.bad_region", "disclosure.finance_needs_village",
                  "disclosure.bad_category", "disclosure.bad_period", "media.not_found",
                  "permission.denied"))
def create(actor, data):
    return present(disclosures.create_disclosure(
        actor, region_id=data["region_id"], kind=data["kind"], category=data["category"],
        title=data["title"], body=data["body"], period=data["period"],
        photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/disclosures/<int:disclosure_id>", auth="staff",
          response=StaffDisclosureSchema, summary="公开事项详情", errors=ERRORS)
def staff_detail(actor, disclosure_id):
    return present(disclosures.load_for_staff(actor, disclosure_id))


@endpoint(bp, "/disclosures/<int:disclosure_id>", method="PUT", auth="staff",
          body=DisclosureUpdateSchema, response=StaffDisclosureSchema,
          summary="修改草稿（已公开的内容不能修改，只能发布更正）",
          errors=ERRORS + ("disclosure.bad_category", "disclosure.bad_period"))
def update(actor, disclosure_id, data):
    return present(disclosures.update_disclosure(
        actor, disclosure_id, category=data["category"], title=data["title"],
        body=data["body"], period=data["period"], photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/disclosures/<int:disclosure_id>/submit", method="POST", auth="staff",
          response=StaffDisclosureSchema, summary="提交审核", errors=ERRORS)
def submit(actor, disclosure_id):
    return present(disclosures.submit_disclosure(actor, disclosure_id))


@endpoint(bp, "/disclosures/<int:disclosure_id>/approve", method="POST", auth="staff",
          body=ReviewNoteSchema, response=StaffDisclosureSchema,
          summary="审核通过（财务公开须民主理财小组或村务监督委员会；起草人不能审核自己的）",
          errors=ERRORS + ("disclosure.own_review",))
def approve(actor, disclosure_id, data):
    return present(disclosures.approve_disclosure(actor, disclosure_id, note=data["note"]))


@endpoint(bp, "/disclosures/<int:disclosure_id>/return", method="POST", auth="staff",
          body=ReasonSchema, response=StaffDisclosureSchema, summary="退回修改（须说明理由）",
          errors=ERRORS + ("disclosure.reason_required",))
def return_(actor, disclosure_id, data):
    return present(disclosures.return_disclosure(actor, disclosure_id, reason=data["reason"]))


@endpoint(bp, "/disclosures/<int:disclosure_id>/publish", method="POST", auth="staff",
          response=StaffDisclosureSchema, summary="公开（写入透明日志，之后不能修改）",
          errors=ERRORS)
def publish(actor, disclosure_id):
    return present(disclosures.publish_disclosure(actor, disclosure_id))


@endpoint(bp, "/disclosures/<int:disclosure_id>/discard", method="POST", auth="staff",
          body=ReasonSchema, response=StaffDisclosureSchema, summary="作废未公开的草稿",
          errors=ERRORS + ("disclosure.reason_required",))
def discard(actor, disclosure_id, data):
    return present(disclosures.discard_disclosure(actor, disclosure_id, reason=data["reason"]))


@endpoint(bp, "/disclosures/<int:disclosure_id>/corrections", method="POST", auth="staff",
          body=CorrectionSchema, response=StaffDisclosureSchema, status=201,
          summary="起草更正：新的公开事项指向被更正的一条，两条都保持可见",
          errors=ERRORS + ("disclosure.correct_unpublished", "disclosure.reason_required"))
def correct(actor, disclosure_id, data):
    return present(disclosures.correct_disclosure(
        actor, disclosure_id, title=data["title"], body=data["body"], reason=data["reason"],
        category=data["category"], period=data["period"], photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/disclosure-questions", auth="staff", query=StaffQuestionQuery,
          response=StaffQuestionSchema, paged=True, summary="居民对公开事项的提问与异议",
          errors=("permission.denied",))
def staff_questions(actor, query):
    return page_of(questions.staff_questions_query(actor, status=query["status"],
                                                   region_id=query["region_id"]),
                   DisclosureQuestion.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/disclosure-questions/<int:question_id>/answer", method="POST", auth="staff",
          body=AnswerBodySchema, response=StaffQuestionSchema,
          summary="答复提问或异议（答复公开，并写入透明日志）",
          errors=("disclosure.question_not_found", "disclosure.already_answered",
                  "permission.denied"))
def answer(actor, question_id, data):
    return questions.answer_question(actor, question_id, answer=data["answer"],
                                     public_question=data["public_question"])


@endpoint(bp, "/disclosure-dues", auth="staff", query=DueQuery, response=DueSchema,
          paged=True, summary="应公开事项（status=overdue 为逾期未公开）",
          errors=("permission.denied",))
def dues(actor, query):
    return page_of(cadence.dues_query(actor, status=query["status"],
                                      region_id=query["region_id"]),
                   DisclosureDue.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/villages/<int:village_id>/disclosure-cadence", auth="staff",
          response=RhythmSchema, many=True, summary="社区(村)各类公开的频次",
          errors=("disclosure.bad_village", "permission.denied"))
def village_cadence(actor, village_id):
    return cadence.village_cadence(actor, village_id)


@endpoint(bp, "/villages/<int:village_id>/disclosure-cadence/<kind>", method="PUT",
          auth="staff", body=RhythmBodySchema, response=RhythmSchema,
          summary="设置社区(村)某类公开的频次（财务往来多的可设每月）",
          errors=("disclosure.bad_village", "disclosure.bad_kind", "disclosure.bad_days",
                  "permission.denied"))
def set_cadence(actor, village_id, kind, data):
    return cadence.set_cadence(actor, village_id=village_id, kind=kind, rhythm=data["rhythm"],
                               grace_days=data["grace_days"], major_days=data["major_days"])
