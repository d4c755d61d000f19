"""The POST side of the 议事 pages: open (publish) a draft, close the discussion early,
publish the outcome (what was decided and why — the service refuses it without a reason),
withdraw a topic with a reason, and restore or hide (remove, with a reason the author reads)
a comment. Each calls the one service ``/admin/api/v1/consultations…`` calls and goes back
to the page the form came from with a message."""

from __future__ import annotations

from flask import url_for

from app.consultations import comments, topics
from app.consultations.models import ConsultationComment
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, perform_action, safe_next
from miniprogram_api.console.session import page

# form name -> (message on success, service call taking (actor, consultation_id))
ACTIONS = {
    "open": ("议题已发布", lambda a, i: topics.publish_consultation(a, i)),
    "close": ("已截止讨论和投票", lambda a, i: topics.close_consultation(a, i)),
    "decide": ("议事结果已公布，参与的居民会收到通知", lambda a, i: topics.publish_outcome(
        a, i, outcome=form_text("outcome", 6000), reason=form_text("reason", 6000))),
    "withdraw": ("议题已撤回", lambda a, i: topics.withdraw_consultation(
        a, i, reason=form_text("reason", 600))),
}
# form name -> (message on success, service call taking (actor, comment_id))
COMMENT_ACTIONS = {
    "restore": ("评论已恢复显示", lambda a, i: comments.restore_comment(a, i)),
    "hide": ("评论已隐藏，评论人会看到理由", lambda a, i: comments.hide_comment(
        a, i, reason=form_text("reason", 600))),
}


@bp.route("/consultations/<int:consultation_id>/<any(" + ",".join(ACTIONS) + "):action>",
          methods=["POST"])
@page
def consultation_action(actor: Actor, consultation_id: int, action: str):
    return perform_action(ACTIONS, action, actor, consultation_id,
                          back=url_for("console.consultation_detail",
                                       consultation_id=consultation_id))


@bp.route("/consultation-comments/<int:comment_id>/<any(" + ",".join(COMMENT_ACTIONS)
          + "):action>", methods=["POST"])
@page
def consultation_comment_action(actor: Actor, comment_id: int, action: str):
    """Back to the page the form was on (the queue or the topic), a console path only."""
    comment = ConsultationComment.get_or_none(ConsultationComment.id == comment_id)
    fallback = (url_for("console.consultation_detail", consultation_id=comment.consultation_id)
                if comment else url_for("console.consultation_moderation"))
    back = form_text("back", 300)
    return perform_action(COMMENT_ACTIONS, action, actor, comment_id,
                          back=safe_next(back) if back else fallback)
