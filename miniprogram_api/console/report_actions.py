"""More of a report's page for discipline officers: revealing a confidential reporter's identity
(a written request, a SECOND officer's approval, then the reveal), recusal (回避), and the
reporter's attachments (viewed or downloaded with the key unlocked).

Each route calls the one service ``/admin/api/v1/reports`` calls (``app.reports.reveal``,
``handling.recuse``, ``handling.open_attachment``), which checks the officer role before
looking anything up: the accused cadre and every other non-officer get the same 403 page as
for an id that does not exist, and an officer who is not a live recipient the 404 page of a
missing id. Only a recipient can meet the messages flashed here (a locked key, approving
one's own request). URLs carry ids only; the paths lie under ``/console/reports``, which the
report log guards cover; the identity is rendered in the POST's own no-store answer, never
in a URL or a log.
"""

from __future__ import annotations

from flask import Response, flash, redirect, url_for

from app.errors import Forbidden
from app.policy import Actor
from app.reports import handling, reveal, rules
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, perform, render
from miniprogram_api.console.reports_pages import staff_token
from miniprogram_api.console.session import page

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Refusals only a live recipient can meet: shown as a message on the report's page.
RECIPIENT_REFUSALS = ("report.key_locked", "report.self_approval")


def _on_report_page(call, report_id: int, done: str):
    """``perform`` back to the report's page; a locked key or a self-approval is explained
    there instead of the 403 page (the service found the report for this recipient)."""
    return perform(call, back=url_for("console.report_detail", report_id=report_id), done=done,
                   refusals=RECIPIENT_REFUSALS)


@bp.route("/reports/<int:report_id>/reveal-requests", methods=["POST"])
@page
def report_reveal_request(actor: Actor, report_id: int):
    return _on_report_page(lambda: reveal.request_reveal(
        actor, report_id, form_text("reason", rules.MESSAGE_MAX), session_token=staff_token()),
        report_id, "申请已提交，须由另一名纪检监察干部审批")


@bp.route("/reports/<int:report_id>/reveal-requests/<int:reveal_id>/approve",
          methods=["POST"])
@page
def report_reveal_approve(actor: Actor, report_id: int, reveal_id: int):
    return _on_report_page(lambda: reveal.decide_reveal(actor, report_id, reveal_id,
                                                        approve=True),
                           report_id, "已批准查看举报人身份的申请")


@bp.route("/reports/<int:report_id>/reveal-requests/<int:reveal_id>/refuse",
          methods=["POST"])
@page
def report_reveal_refuse(actor: Actor, report_id: int, reveal_id: int):
    return _on_report_page(lambda: reveal.decide_reveal(actor, report_id, reveal_id,
                                                        approve=False),
                           report_id, "已驳回查看举报人身份的申请")


@bp.route("/reports/<int:report_id>/reveal", methods=["POST"])
@page
def report_reveal(actor: Actor, report_id: int):
    """The approved officer sees the identity on this answer only (audited each time)."""
    try:
        identity = reveal.reveal_identity(actor, report_id, session_token=staff_token())
    except Forbidden as exc:
        if exc.code != "report.key_locked":
            raise
        flash(exc.message, "error")
        return redirect(url_for("console.report_detail", report_id=report_id), code=303)
    return render("console/reports/identity.html", report_id=report_id, identity=identity)


@bp.route("/reports/<int:report_id>/recuse", methods=["POST"])
@page
def report_recuse(actor: Actor, report_id: int):
    return perform(lambda: handling.recuse(actor, report_id),
                   back=url_for("console.report_queue"),
                   done="您已回避该举报，此后不再接触该举报")


def _attachment(actor: Actor, report_id: int, attachment_id: int, *, download: bool):
    try:
        mime, data = handling.open_attachment(actor, report_id, attachment_id,
                                              session_token=staff_token())
    except Forbidden as exc:
        if exc.code != "report.key_locked":
            raise
        return redirect(url_for("console.report_detail", report_id=report_id), code=303)
    response = Response(data, mimetype=mime)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if download:
        name = f"report-{report_id}-attachment-{attachment_id}.{EXTENSIONS.get(mime, 'img')}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/reports/<int:report_id>/attachments/<int:attachment_id>")
@page
def report_attachment(actor: Actor, report_id: int, attachment_id: int):
    return _attachment(actor, report_id, attachment_id, download=False)


@bp.route("/reports/<int:report_id>/attachments/<int:attachment_id>/download")
@page
def report_attachment_download(actor: Actor, report_id: int, attachment_id: int):
    return _attachment(actor, report_id, attachment_id, download=True)
