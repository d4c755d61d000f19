"""The POST side of a 事前公示 page: publish or discard a draft, answer an objection, publish
the result. Each calls the one service ``/admin/api/v1/notices…`` calls, then goes back to the
notice with a message. A refusal the person can fix is shown there in the service's own words
— e.g. the result before the objection period has ended ("公示期未满，不能公布决策结果")."""

from __future__ import annotations

from flask import url_for

from app.notices import objections
from app.notices import services as notices
from app.notices.models import NoticeObjection
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, perform, perform_action
from miniprogram_api.console.session import page

# form name -> (message on success, service call taking (actor, notice_id))
ACTIONS = {
    "publish": ("已发布公示，异议期开始，并已写入透明日志",
                lambda a, i: notices.publish_notice(a, i)),
    "discard": ("草稿已作废", lambda a, i: notices.discard_notice(a, i)),
    "result": ("决策结果已公开，并已写入透明日志", lambda a, i: notices.publish_result(
        a, i, result=form_text("result", 20), result_text=form_text("result_text", 6000))),
}


@bp.route("/notices/<int:notice_id>/<any(" + ",".join(ACTIONS) + "):action>",
          methods=["POST"])
@page
def notice_action(actor: Actor, notice_id: int, action: str):
    return perform_action(ACTIONS, action, actor, notice_id,
                          back=url_for("console.notice_detail", notice_id=notice_id))


@bp.route("/notice-objections/<int:objection_id>/answer", methods=["POST"])
@page
def notice_answer(actor: Actor, objection_id: int):
    """Answer one objection; back to its notice (an objection out of reach is the 404 page,
    from the service)."""
    objection = NoticeObjection.get_or_none(NoticeObjection.id == objection_id)
    back = (url_for("console.notice_detail", notice_id=objection.notice_id) if objection
            else url_for("console.notice_list"))
    return perform(lambda: objections.answer_objection(
        actor, objection_id, answer=form_text("answer", 600),
        public_text=form_text("public_text", 600) or None),
        back=back, done="已答复，异议人会收到通知")
