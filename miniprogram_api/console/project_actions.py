"""The POST side of the 微实事 pages: start a round's next phase, publish the counted result,
review a proposal (accept / merge / reject with a reason), override a result with the reason
published beside it, record a milestone or a spending line, mark a project completed.

Each route calls the one service ``/admin/api/v1/projects…`` calls and goes back to the page
the form came from with a message; a refusal the person can fix (a missing reason, the wrong
phase) is shown there in the service's words, and 403/404 are the error pages.
"""

from __future__ import annotations

from flask import url_for

from app.policy import Actor
from app.projects import execution, review, rounds, voting
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, perform_action
from miniprogram_api.console.participation_forms import form_day, form_yuan
from miniprogram_api.console.session import page

# form name -> (message on success, service call taking (actor, round_id))
ROUND_ACTIONS = {
    "advance": ("已进入下一阶段", lambda a, i: rounds.advance_round(
        a, i, to_phase=form_text("to_phase", 20))),
    "publish_result": ("已计票并公布结果，提议人会收到通知",
                       lambda a, i: voting.publish_result(a, i)),
}
# form name -> (message on success, service call taking (actor, project_id))
PROJECT_ACTIONS = {
    "accept": ("已通过审核，成为投票候选项目", lambda a, i: review.accept_project(a, i)),
    "merge": ("已合并，提议人会看到说明", lambda a, i: review.merge_project(
        a, i, into_id=form_int("into_id") or 0, reason=form_text("reason", 600))),
    "reject": ("已退回，提议人会看到理由", lambda a, i: review.reject_project(
        a, i, reason=form_text("reason", 600))),
    "override": ("已调整结果，理由与结果一同公布", lambda a, i: voting.override_result(
        a, i, selected=form_text("selected") == "yes", reason=form_text("reason", 600))),
    "complete": ("已标记完工，居民可以评价", lambda a, i: execution.complete_project(a, i)),
    "milestone": ("已记录项目进展", lambda a, i: execution.add_milestone(
        a, i, note=form_text("note", 600), happened_on=form_day("happened_on", "进展日期"))),
    "spending": ("已记录支出", lambda a, i: execution.add_spending(
        a, i, amount_fen=form_yuan("amount_yuan", "支出金额"), note=form_text("note", 300),
        spent_on=form_day("spent_on", "支出日期"), voucher_no=form_text("voucher_no", 60))),
}


@bp.route("/project-rounds/<int:round_id>/<any(" + ",".join(ROUND_ACTIONS) + "):action>",
          methods=["POST"])
@page
def project_round_action(actor: Actor, round_id: int, action: str):
    return perform_action(ROUND_ACTIONS, action, actor, round_id,
                          back=url_for("console.project_round_detail", round_id=round_id))


@bp.route("/projects/<int:project_id>/<any(" + ",".join(PROJECT_ACTIONS) + "):action>",
          methods=["POST"])
@page
def project_action(actor: Actor, project_id: int, action: str):
    return perform_action(PROJECT_ACTIONS, action, actor, project_id,
                          back=url_for("console.project_detail", project_id=project_id))
