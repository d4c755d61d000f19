"""The POST side of a disclosure's page: one route per workflow form, each calling the one
service of ``app.disclosures.services`` that ``/admin/api/v1/disclosures/<id>/<action>``
calls, then back to the page with a message.

A refusal the person can fix (a missing reason, a state that changed meanwhile) is shown on
the page. So is the author's attempt to approve their own disclosure (Forbidden
``disclosure.own_review``): they may read the disclosure, so saying why is no disclosure of
anything; every other Forbidden is the 403 page.
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from app.disclosures import services as disclosures
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, perform, perform_action
from miniprogram_api.console.session import page

# form name -> (message on success, service call taking (actor, disclosure_id))
ACTIONS = {
    "update": ("草稿已保存", lambda a, i: disclosures.update_disclosure(
        a, i, category=form_text("category"), title=form_text("title", 200),
        body=form_text("body", 20000), period=form_text("period", 20))),
    "submit": ("已提交审核", lambda a, i: disclosures.submit_disclosure(a, i)),
    "approve": ("已审核通过", lambda a, i: disclosures.approve_disclosure(
        a, i, note=form_text("note", 600))),
    "return": ("已退回修改", lambda a, i: disclosures.return_disclosure(
        a, i, reason=form_text("reason", 600))),
    "publish": ("已公开，并已写入透明日志", lambda a, i: disclosures.publish_disclosure(a, i)),
    "discard": ("已作废", lambda a, i: disclosures.discard_disclosure(
        a, i, reason=form_text("reason", 600))),
}


@bp.route("/disclosures/<int:disclosure_id>/<any(" + ",".join(ACTIONS) + "):action>",
          methods=["POST"])
@page
def disclosure_action(actor: Actor, disclosure_id: int, action: str):
    return perform_action(ACTIONS, action, actor, disclosure_id,
                          back=url_for("console.disclosure_detail", disclosure_id=disclosure_id),
                          refusals=("disclosure.own_review",))


@bp.route("/disclosures/<int:disclosure_id>/correct", methods=["POST"])
@page
def disclosure_correct(actor: Actor, disclosure_id: int):
    """Draft a correction; on success go to the new draft (the original never changes)."""
    created = []
    back = url_for("console.disclosure_detail", disclosure_id=disclosure_id)
    response = perform(lambda: created.append(disclosures.correct_disclosure(
        actor, disclosure_id, title=form_text("title", 200), body=form_text("body", 20000),
        reason=form_text("reason", 600))), back=back, done="更正草稿已创建，请提交审核")
    if created:
        flash("原公开内容保持不变，更正审核公开后两条都可见", "info")
        return redirect(url_for("console.disclosure_detail", disclosure_id=created[0].id),
                        code=303)
    return response
