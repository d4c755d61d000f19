"""Report pages for discipline officers (我要举报, the officers' side): the queue (metadata
only), the report key (set up, unlock with the key password, lock), and a report with its
workflow, notes and messages to the reporter.

Every page calls the service ``/admin/api/v1/reports`` calls, with the console session's
staff token as ``session_token`` (the unlocked key is bound to it, ``app.reports.keys``).
Those services decide who sees anything: a non-officer (the accused cadre among them) gets
Forbidden before any report is looked up, so the Chinese 403 page is the same, in status,
text and work done, whether the id exists or not; an officer who is not a live recipient
gets ``report.not_found``, the page of an id that does not exist. Nothing here looks a report
up on its own. The paths are covered by the report log guards
(``miniprogram_api.views.reports.REPORT_PATHS``) and every page is ``no-store``.
"""

from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask import request as http

from app.errors import Forbidden, InvalidInput, Unauthorized
from app.policy import Actor
from app.reports import handling, keys, rules
from app.reports.models import Report
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import (
    form_text,
    keyset_page,
    perform,
    perform_action,
    render,
    safe_next,
)
from miniprogram_api.console.session import TOKEN_KEY, page

PAGE_SIZE = 20
QUEUES = {"open": "办理中", "overdue": "已超期", "closed": "已办结", "all": "全部"}
LEVEL_NAMES = {"handler": "承办", "supervisor": "上级监督"}
MODE_NAMES = {"anonymous": "匿名举报", "confidential": "实名举报（身份保密）"}


def staff_token() -> str | None:
    """The console session's staff token: an unlocked report key is bound to it."""
    return session.get(TOKEN_KEY)


def _back() -> str:
    return safe_next(http.form.get("next") or url_for("console.report_queue"))


@bp.route("/reports")
@page
def report_queue(actor: Actor):
    queue = http.args.get("queue") or "open"
    rows, next_url = keyset_page(handling.queue_query(actor, queue), Report.id,
                                 "console.report_queue", limit=PAGE_SIZE, queue=queue)
    return render("console/reports/queue.html", queue=queue, queues=QUEUES,
                  rows=handling.present_queue(actor, rows), next_url=next_url,
                  key=keys.key_state(actor, session_token=staff_token()),
                  level_names=LEVEL_NAMES, mode_names=MODE_NAMES)


@bp.route("/reports/<int:report_id>")
@page
def report_detail(actor: Actor, report_id: int):
    try:
        report = handling.read_report(actor, report_id, session_token=staff_token())
    except Forbidden as exc:
        if exc.code != "report.key_locked":
            raise
        # Only a live recipient gets this far (the service looked the report up for them).
        return render("console/reports/unlock.html",
                      key=keys.key_state(actor, session_token=staff_token()),
                      next_url=url_for("console.report_detail", report_id=report_id))
    return render("console/reports/detail.html", r=report, state_names=rules.STATE_NAMES,
                  needs_text=rules.TEXT_TO_REPORTER, level_names=LEVEL_NAMES,
                  mode_names=MODE_NAMES, my_id=actor.user_id)


@bp.route("/reports/key", methods=["POST"])
@page
def report_key_set_up(actor: Actor):
    if http.form.get("key_password") != http.form.get("key_password_again"):
        flash("两次输入的密钥口令不一致", "error")
        return redirect(_back(), code=303)
    return perform(lambda: keys.set_up_key(actor, http.form.get("key_password", "")),
                   back=_back(), done="举报密钥已设置。请牢记密钥口令，丢失无法找回")


@bp.route("/reports/key/unlock", methods=["POST"])
@page
def report_key_unlock(actor: Actor):
    def unlock():
        try:
            keys.unlock_key(actor, http.form.get("key_password", ""),
                            session_token=staff_token())
        except Unauthorized as exc:
            if exc.code != "report.bad_key_password":
                raise
            # A wrong key password is not a lost login: say so, keep the session.
            raise InvalidInput(exc.code, exc.message) from None

    return perform(unlock, back=_back(), done="已解锁，30 分钟内有效")


@bp.route("/reports/key/lock", methods=["POST"])
@page
def report_key_lock(actor: Actor):
    return perform(lambda: keys.lock_key(actor, session_token=staff_token()),
                   back=url_for("console.report_queue"), done="举报密钥已锁定")


# form name -> (message on success, service call taking (actor, report_id))
ACTIONS = {
    "transition": ("办理状态已更新", lambda a, i: handling.transition_report(
        a, i, to=form_text("to", 32), text=form_text("text", rules.MESSAGE_MAX),
        session_token=staff_token())),
    "note": ("内部记录已保存", lambda a, i: handling.add_note(
        a, i, form_text("text", rules.MESSAGE_MAX), session_token=staff_token())),
    "message": ("留言已发送，举报人凭回执码查看", lambda a, i: handling.send_message(
        a, i, form_text("text", rules.MESSAGE_MAX), session_token=staff_token())),
}


def _act(actor: Actor, report_id: int, action: str):
    # A key that expired meanwhile is said on the report's page, which offers the unlock.
    return perform_action(ACTIONS, action, actor, report_id,
                          back=url_for("console.report_detail", report_id=report_id),
                          refusals=("report.key_locked",))


# One rule per form: report URLs carry no argument but ids (tests/…/test_reports_api.py).
@bp.route("/reports/<int:report_id>/transition", methods=["POST"])
@page
def report_transition(actor: Actor, report_id: int):
    return _act(actor, report_id, "transition")


@bp.route("/reports/<int:report_id>/note", methods=["POST"])
@page
def report_note(actor: Actor, report_id: int):
    return _act(actor, report_id, "note")


@bp.route("/reports/<int:report_id>/message", methods=["POST"])
@page
def report_message(actor: Actor, report_id: int):
    return _act(actor, report_id, "message")
