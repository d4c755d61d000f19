"""微实事 in the staff console (``/admin/api/v1/projects``): open a round, start its next
phase, review proposals (accept / merge / reject), publish and override the result, record
milestones and spending, mark a project completed. Every action is audited by its service."""

from __future__ import annotations

from flask import Blueprint

from app.projects import describe, execution, reading, review, rounds, voting
from app.projects.models import Project, ProjectRound
from app.projects.rules import BOUNDARIES
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.projects import (
    AdvanceSchema,
    MergeSchema,
    MilestoneBodySchema,
    MilestoneSchema,
    OverrideBodySchema,
    ProjectDetailSchema,
    ProjectSummarySchema,
    ReasonSchema,
    ResultSchema,
    RoundCreateSchema,
    RoundSchema,
    SpendingBodySchema,
    SpendingSchema,
    StaffProjectQuery,
)

bp = Blueprint("admin_projects", __name__, url_prefix="/admin/api/v1/projects")
ERRORS = ("project.not_found", "permission.denied", "project.changed",
          "project.illegal_transition")
ROUND_ERRORS = ("project.round_not_found", "permission.denied", "project.changed")


@endpoint(bp, "/rounds", method="POST", auth="staff", body=RoundCreateSchema,
          response=RoundSchema, status=201,
          summary="开设一轮微实事（社区干部：本社区(村)；街道管理员：本街道或其下社区(村)）",
          errors=("permission.denied", "region.not_found", "project.bad_region",
                  "project.bad_dates", "project.bad_budget"))
def create_round(actor, data):
    dates = {field: data.pop(field) for field in BOUNDARIES}
    return describe.round_summary(actor, rounds.create_round(actor, dates=dates, **data))


@endpoint(bp, "/rounds", auth="staff", query=PageQuery, response=RoundSchema, paged=True,
          summary="本辖区的微实事轮次", errors=("permission.denied",))
def list_rounds(actor, query):
    result = page_of(reading.staff_rounds_query(actor), ProjectRound.id,
                     cursor=query["cursor"], limit=query["limit"])
    result.items = [describe.round_summary(actor, r) for r in result.items]
    return result


@endpoint(bp, "/rounds/<int:round_id>", auth="staff", response=RoundSchema,
          summary="轮次详情", errors=ROUND_ERRORS)
def round_detail(actor, round_id):
    return describe.round_summary(actor, reading.load_round_for_staff(actor, round_id))


@endpoint(bp, "/rounds/<int:round_id>/advance", method="POST", auth="staff",
          body=AdvanceSchema, response=RoundSchema,
          summary="提前进入下一阶段（把该阶段的开始时间改为现在）",
          errors=ROUND_ERRORS + ("project.bad_advance", "project.result_not_published"))
def advance(actor, round_id, data):
    return describe.round_summary(actor, rounds.advance_round(actor, round_id,
                                                              to_phase=data["to_phase"]))


@endpoint(bp, "/rounds/<int:round_id>/publish-result", method="POST", auth="staff",
          response=ResultSchema, summary="计票并公布结果（投票结束后，一次）",
          errors=ROUND_ERRORS + ("project.wrong_phase", "project.result_already_published"))
def publish_result(actor, round_id):
    voting.publish_result(actor, round_id)
    return voting.result_of(actor, round_id)


@endpoint(bp, "/rounds/<int:round_id>/result", auth="staff", response=ResultSchema,
          summary="已公布的投票结果", errors=ROUND_ERRORS + ("project.result_not_published",))
def result(actor, round_id):
    reading.load_round_for_staff(actor, round_id)
    return voting.result_of(actor, round_id)


@endpoint(bp, "", auth="staff", query=StaffProjectQuery, response=ProjectSummarySchema,
          paged=True, summary="提议审核队列（默认待审核）或按状态查看本辖区项目",
          errors=("permission.denied", "project.round_not_found"))
def staff_list(actor, query):
    result = page_of(reading.staff_projects_query(actor, status=query["status"],
                                                  round_id=query["round_id"]),
                     Project.id, cursor=query["cursor"], limit=query["limit"])
    result.items = [describe.project_summary(actor, p) for p in result.items]
    return result


@endpoint(bp, "/<int:project_id>", auth="staff", response=ProjectDetailSchema,
          summary="项目详情（含提议人信息）", errors=("project.not_found",))
def staff_detail(actor, project_id):
    project, _ = reading.load_for_staff(actor, project_id)
    return describe.project_detail(actor, project)


@endpoint(bp, "/<int:project_id>/accept", method="POST", auth="staff",
          response=ProjectDetailSchema, summary="审核通过，成为投票候选项目",
          errors=ERRORS + ("project.wrong_phase",))
def accept(actor, project_id):
    return describe.project_detail(actor, review.accept_project(actor, project_id))


@endpoint(bp, "/<int:project_id>/merge", method="POST", auth="staff", body=MergeSchema,
          response=ProjectDetailSchema, summary="合并到本轮另一项提议",
          errors=ERRORS + ("project.wrong_phase", "project.bad_merge_target"))
def merge(actor, project_id, data):
    return describe.project_detail(actor, review.merge_project(
        actor, project_id, into_id=data["into_id"], reason=data["reason"]))


@endpoint(bp, "/<int:project_id>/reject", method="POST", auth="staff", body=ReasonSchema,
          response=ProjectDetailSchema, summary="审核不通过（理由会告知提议人）",
          errors=ERRORS + ("project.wrong_phase", "project.reason_required"))
def reject(actor, project_id, data):
    return describe.project_detail(actor, review.reject_project(actor, project_id,
                                                                reason=data["reason"]))


@endpoint(bp, "/<int:project_id>/override", method="POST", auth="staff",
          body=OverrideBodySchema, response=ProjectDetailSchema,
          summary="调整投票结果（须写明理由，理由与结果一同公布）",
          errors=ERRORS + ("project.override_reason_required", "project.result_not_published",
                           "project.wrong_phase"))
def override(actor, project_id, data):
    return describe.project_detail(actor, voting.override_result(
        actor, project_id, selected=data["selected"], reason=data["reason"]))


@endpoint(bp, "/<int:project_id>/milestones", method="POST", auth="staff",
          body=MilestoneBodySchema, response=MilestoneSchema, status=201,
          summary="记录项目进展（附照片）",
          errors=ERRORS + ("project.not_selected", "project.note_required", "media.not_found"))
def add_milestone(actor, project_id, data):
    milestone = execution.add_milestone(actor, project_id, note=data["note"],
                                        happened_on=data["happened_on"],
                                        photo_ids=tuple(data["photo_ids"]))
    return describe.milestones(actor, [milestone])[0]


@endpoint(bp, "/<int:project_id>/spending", method="POST", auth="staff",
          body=SpendingBodySchema, response=SpendingSchema, status=201,
          summary="记录项目支出（金额单位：分，可填凭证号）",
          errors=ERRORS + ("project.not_selected", "project.bad_amount",
                           "project.note_required"))
def add_spending(actor, project_id, data):
    line = execution.add_spending(actor, project_id, amount_fen=data["amount_fen"],
                                  note=data["note"], spent_on=data["spent_on"],
                                  voucher_no=data["voucher_no"])
    return describe.spending(actor, [line])[0]


@endpoint(bp, "/<int:project_id>/complete", method="POST", auth="staff",
          response=ProjectDetailSchema, summary="标记项目完工（此后居民可以评价）",
          errors=ERRORS + ("project.wrong_phase",))
def complete(actor, project_id):
    return describe.project_detail(actor, execution.complete_project(actor, project_id))
