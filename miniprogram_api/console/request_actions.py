"""The POST side of a request's page: one route per transition form, each calling one service
of ``app.requests`` (the same call ``/admin/api/v1/requests/<id>/<action>`` makes) and going
back to the detail page with a message. Refusals the person can fix are shown there. The
resolve form may carry photos: they are stored through the media service first
(``media_pages.store_uploads``) and attached by ``handling.resolve_request``."""

from __future__ import annotations

from flask import url_for

from app.errors import InvalidInput
from app.policy import Actor
from app.requests import handling, workflow
from app.requests import services as requests
from miniprogram_api.console import request_forms
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.media_pages import store_uploads
from miniprogram_api.console.pages import form_int, form_text, perform_action
from miniprogram_api.console.session import page


def _required_int(name: str, message: str) -> int:
    value = form_int(name)
    if value is None:
        raise InvalidInput("console.field_required", message)
    return value


def _resolution_photos(actor: Actor, request_id: int) -> tuple[int, ...]:
    """Store the resolve form's photos, but only for someone the form is offered to: a post
    the service is bound to refuse leaves no upload behind."""
    request = requests.get_request(actor, request_id)
    if "resolve" not in {form.name for form in request_forms.offered(actor, request)}:
        return ()
    return store_uploads(actor)


# form name -> (message on success, service call taking (actor, request_id))
ACTIONS = {
    "accept": ("已受理", lambda a, i: workflow.accept_request(a, i, form_text("note"))),
    "dispatch": ("已分办", lambda a, i: workflow.dispatch_request(
        a, i, lead_unit_id=form_int("lead_unit_id"), reason=form_text("reason"))),
    "start": ("已开始办理", lambda a, i: workflow.start_request(a, i)),
    "resolve": ("已办结，等待居民评价", lambda a, i: handling.resolve_request(
        a, i, note=form_text("note"), photo_ids=_resolution_photos(a, i))),
    "return": ("已退单", lambda a, i: workflow.return_request(
        a, i, clause=_required_int("clause", "请选择引用的职责清单条款"),
        note=form_text("note"))),
    "transfer": ("已转办", lambda a, i: workflow.transfer_request(
        a, i, unit_id=_required_int("unit_id", "请选择转办单位"), reason=form_text("reason"))),
    "extension": ("延期申请已提交", lambda a, i: handling.request_extension(
        a, i, days=_required_int("days", "请填写延期的工作日天数"), reason=form_text("reason"))),
    "extension_decision": ("延期审批已记录", lambda a, i: handling.decide_extension(
        a, i, approve=form_text("approve") == "1", note=form_text("note"))),
    "visit": ("回访已记录", lambda a, i: handling.log_visit(a, i, note=form_text("note"))),
    "note": ("办理进展已记录", lambda a, i: handling.add_note(
        a, i, note=form_text("note"), public=form_text("public") == "1")),
    "merge": ("已合并到另一条诉求", lambda a, i: handling.merge_into_number(
        a, i, tracking_no=form_text("into", 20), note=form_text("note"))),
    "mediation": ("调解码已更新", lambda a, i: handling.set_mediation_code(
        a, i, code=form_text("code", 16), note=form_text("note"))),
    "flag_hard": ("已列为疑难件", lambda a, i: handling.flag_hard(
        a, i, reason=form_text("reason"))),
}


@bp.route("/requests/<int:request_id>/<any(" + ",".join(ACTIONS) + "):action>",
          methods=["POST"])
@page
def request_action(actor: Actor, request_id: int, action: str):
    return perform_action(ACTIONS, action, actor, request_id,
                          back=url_for("console.request_detail", request_id=request_id))
