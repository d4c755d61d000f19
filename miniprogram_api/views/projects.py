"""微实事 for residents (``/api/v1/projects``): the rounds of one's village and town, their
projects, proposing, the ballot, the published result, milestones, spending and ratings.
Views load input, call one service, and present what the caller may see
(``app.projects.describe``)."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.projects import describe, execution, reading, services, voting
from app.projects.models import (
    Project,
    ProjectMilestone,
    ProjectRating,
    ProjectRound,
    ProjectSpending,
)
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.projects import (
    BallotBodySchema,
    BallotSchema,
    MilestoneSchema,
    ProjectDetailSchema,
    ProjectSummarySchema,
    ProposalSchema,
    RatingBodySchema,
    RatingSchema,
    ResultSchema,
    RoundSchema,
    SpendingSchema,
    StatusQuery,
)

bp = Blueprint("projects", __name__, url_prefix="/api/v1/projects")
RESIDENT = ("project.household_required", "project.round_not_found")


def checker():
    return current_app.extensions["content_checker"]


def page(query, model, params, render):
    result = page_of(query, model.id, cursor=params["cursor"], limit=params["limit"])
    result.items = render(result.items)
    return result


def ballot_view(actor, ballot, choices) -> dict:
    if ballot is None:
        return {"voted": False, "project_ids": []}
    return {"voted": True, "project_ids": choices, "cast_by_me": ballot.user_id == actor.user_id,
            "cast_at": ballot.cast_at, "changed_at": ballot.changed_at}


@endpoint(bp, "/rounds", query=PageQuery, response=RoundSchema, paged=True,
          summary="本社区(村)和本街道的微实事轮次（需已绑定住户）",
          errors=("project.household_required",))
def rounds(actor, query):
    return page(reading.rounds_query(actor), ProjectRound, query,
                lambda rows: [describe.round_summary(actor, r) for r in rows])


@endpoint(bp, "/rounds/<int:round_id>", response=RoundSchema, summary="微实事轮次详情与当前阶段",
          errors=("project.round_not_found",))
def round_detail(actor, round_id):
    return describe.round_summary(actor, reading.get_round(actor, round_id))


@endpoint(bp, "/rounds/<int:round_id>/projects", query=StatusQuery,
          response=ProjectSummarySchema, paged=True,
          summary="本轮项目（居民看到已通过审核的项目，提议人姓名已打码）",
          errors=("project.round_not_found", "project.bad_status"))
def round_projects(actor, round_id, query):
    return page(reading.round_projects_query(actor, round_id, status=query["status"]), Project,
                query, lambda rows: [describe.project_summary(actor, p) for p in rows])


@endpoint(bp, "/rounds/<int:round_id>/projects", method="POST", body=ProposalSchema,
          response=ProjectDetailSchema, status=201,
          summary="提议微实事项目（本区域已认证居民，征集提议阶段）",
          errors=RESIDENT + ("project.wrong_phase", "content.risky", "project.bad_title",
                             "project.bad_description", "project.bad_cost"))
def propose(actor, round_id, data):
    project = services.propose_project(actor, round_id, checker=checker(), **data)
    return describe.project_detail(actor, project)


@endpoint(bp, "/rounds/<int:round_id>/ballot", response=BallotSchema,
          summary="我的选票（每户一票时为本户的选票）", errors=RESIDENT)
def my_ballot(actor, round_id):
    return ballot_view(actor, *voting.my_ballot(actor, round_id))


@endpoint(bp, "/rounds/<int:round_id>/ballot", method="PUT", body=BallotBodySchema,
          response=BallotSchema,
          summary="投票或修改选票（投票阶段内；预算内选择时所选总额不得超过预算）",
          errors=RESIDENT + ("project.wrong_phase", "project.not_candidate",
                             "project.over_budget", "project.household_already_voted"))
def cast(actor, round_id, data):
    ballot = voting.cast_ballot(actor, round_id, project_ids=data["project_ids"])
    return ballot_view(actor, *voting.my_ballot(actor, ballot.round_id))


@endpoint(bp, "/rounds/<int:round_id>/result", response=ResultSchema,
          summary="投票结果（各项目得票、排名、是否入选，以及工作人员调整及其理由）",
          errors=("project.round_not_found", "project.result_not_published"))
def result(actor, round_id):
    return voting.result_of(actor, round_id)


@endpoint(bp, "/mine", query=PageQuery, response=ProjectSummarySchema, paged=True,
          summary="我提议的项目（含审核意见）")
def mine(actor, query):
    return page(reading.my_projects_query(actor), Project, query,
                lambda rows: [describe.project_summary(actor, p) for p in rows])


@endpoint(bp, "/<int:project_id>", response=ProjectDetailSchema, summary="项目详情",
          errors=("project.not_found",))
def detail(actor, project_id):
    return describe.project_detail(actor, reading.get_project(actor, project_id))


@endpoint(bp, "/<int:project_id>/milestones", query=PageQuery, response=MilestoneSchema,
          paged=True, summary="项目进展（附照片）", errors=("project.not_found",))
def milestones(actor, project_id, query):
    return page(reading.milestones_query(actor, project_id), ProjectMilestone, query,
                lambda rows: describe.milestones(actor, rows))


@endpoint(bp, "/<int:project_id>/spending", query=PageQuery, response=SpendingSchema,
          paged=True, summary="项目支出明细", errors=("project.not_found",))
def spending(actor, project_id, query):
    return page(reading.spending_query(actor, project_id), ProjectSpending, query,
                lambda rows: describe.spending(actor, rows))


@endpoint(bp, "/<int:project_id>/ratings", query=PageQuery, response=RatingSchema,
          paged=True, summary="居民评价（评价人姓名已打码）", errors=("project.not_found",))
def ratings(actor, project_id, query):
    project = reading.get_project(actor, project_id)
    return page(reading.ratings_query(actor, project.id), ProjectRating, query,
                lambda rows: describe.ratings(actor, project, rows))


@endpoint(bp, "/<int:project_id>/ratings", method="POST", body=RatingBodySchema,
          response=RatingSchema, status=201,
          summary="评价已完工的项目（本区域居民，每人一次，1–5 分）",
          errors=("project.not_found", "project.household_required", "project.not_completed",
                  "project.already_rated", "project.not_resident", "content.risky"))
def rate(actor, project_id, data):
    rating = execution.rate_project(actor, project_id, score=data["score"],
                                    comment=data["comment"], checker=checker())
    project = reading.get_project(actor, project_id)
    return describe.ratings(actor, project, [rating])[0]

