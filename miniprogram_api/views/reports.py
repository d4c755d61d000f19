"""我要举报, the reporter's side (``/api/v1/reports``), and the guards of every report route.

Anonymous routes are ``auth=None``: the ``endpoint`` decorator then never looks at the
``Authorization`` header, and these views read nothing of the caller but an opaque, daily
rotating fingerprint for throttling (``app.reports.throttle``). The receipt comes in the JSON
body or the ``X-Report-Receipt`` header, never in a URL (URLs end up in logs and histories).

Guards installed with the blueprints (``install_guards``):

* every response of a report route carries ``Cache-Control: no-store``;
* access-log lines of report paths (werkzeug's, gunicorn's) are dropped: they carry the
  client address and the path;
* any other log record written while a report route runs is reduced to its level, logger,
  exception class and request id: no message text, arguments, SQL parameters or traceback,
  which could hold report text, a receipt or a token.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, has_request_context, request

from app.reports import attachments, rules, services, setup, throttle
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.reports import (
    AccusedOptionSchema,
    AttachedSchema,
    NoticeSchema,
    ReceiptSchema,
    ReporterStatusSchema,
    ReporterTextSchema,
    SubmitReportSchema,
    SubmittedSchema,
    VillageQuery,
    WrittenSchema,
)

bp = Blueprint("reports", __name__, url_prefix="/api/v1/reports")
REPORT_PATHS = ("/api/v1/reports", "/admin/api/v1/reports",
                "/console/reports")  # the officers' console pages (console.reports_pages)
RECEIPT_HEADER = "X-Report-Receipt"
RECEIPT_ERRORS = ("report.not_found", "report.too_many_attempts")


# -- guards -----------------------------------------------------------------------------------

def on_report_route() -> bool:
    return has_request_context() and request.path.startswith(REPORT_PATHS)


class DropReportAccessLines(logging.Filter):
    """Drop access-log lines (werkzeug, gunicorn) that mention a report path."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return True
        return not any(path in text for path in REPORT_PATHS)


def _scrubbing_factory(previous):
    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        if on_report_route():
            kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
            record.msg = "details withheld on a report route request_id=%s %s"
            record.args = (g.get("request_id", "-"), kind)
            record.exc_info = record.exc_text = record.stack_info = None
        return record

    factory.linli_report_scrubber = True
    return factory


_ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def install_guards() -> None:
    """Install the log guards once per process (idempotent)."""
    for name in _ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropReportAccessLines) for f in logger.filters):
            logger.addFilter(DropReportAccessLines())
    current = logging.getLogRecordFactory()
    if not getattr(current, "linli_report_scrubber", False):
        logging.setLogRecordFactory(_scrubbing_factory(current))


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def guard(blueprint: Blueprint) -> None:
    blueprint.record_once(lambda state: install_guards())
    blueprint.after_request(no_store)


guard(bp)


def client() -> str:
    """The caller as the throttle knows it: a keyed, daily-rotating hash, never the address."""
    raw = f"{request.remote_addr or ''}|{request.headers.get('User-Agent', '')}"
    return throttle.fingerprint(raw)


def receipt_from(data: dict | None) -> str | None:
    return (data or {}).get("receipt") or request.headers.get(RECEIPT_HEADER)


# -- routes -----------------------------------------------------------------------------------

@endpoint(bp, "/notice", auth=None, response=NoticeSchema,
          summary="举报须知：匿名与实名保密的含义（微信和服务器运营方仍能看到网络访问记录）")
def notice():
    return {**services.ANONYMITY_TEXT, "default_retention_days": rules.DEFAULT_RETENTION_DAYS}


@endpoint(bp, "/accused-options", auth=None, query=VillageQuery,
          response=AccusedOptionSchema, many=True,
          summary="可选择的被举报人：本社区(村)干部与所属街道纪检委员（公开信息）",
          errors=("report.bad_village",))
def accused_options(query):
    return setup.accused_options(query["village_id"])


SUBMIT_ERRORS = ("report.bad_village", "report.text_length", "report.accused_required",
                 "report.bad_accused", "report.bad_accused_role", "report.too_many_submissions")


def _submitted(result: services.Submission) -> dict:
    return {"report_id": result.report_id, "receipt": rules.format_receipt(result.receipt),
            "mode": result.mode, "status": result.status,
            "retention_days": result.retention_days, "created_at": result.created_at,
            "notice": services.ANONYMITY_TEXT[result.mode],
            "receipt_notice": services.ANONYMITY_TEXT["receipt"]}


def _accused(data: dict) -> dict:
    return {k: data[k] for k in ("accused_user_id", "accused_name", "accused_office",
                                 "accused_role")}


@endpoint(bp, "", method="POST", auth="user", body=SubmitReportSchema, status=201,
          response=SubmittedSchema, errors=SUBMIT_ERRORS,
          summary="实名保密举报：身份加密保存，经第二名纪检干部批准才可查看；回执码只显示一次")
def submit_confidential(actor, data):
    return _submitted(services.submit_confidential(
        actor, village_id=data["village_id"], text=data["text"], client=client(),
        **_accused(data)))


@endpoint(bp, "/anonymous", method="POST", auth=None, body=SubmitReportSchema, status=201,
          response=SubmittedSchema, errors=SUBMIT_ERRORS,
          summary="匿名举报：不登录，不接收也不保存 openid、手机号或 IP；"
                  "微信和服务器运营方仍能看到网络访问记录。回执码只显示一次")
def submit_anonymous(data):
    return _submitted(services.submit_anonymous(
        village_id=data["village_id"], text=data["text"], client=client(), **_accused(data)))


@endpoint(bp, "/status", method="POST", auth=None, body=ReceiptSchema,
          response=ReporterStatusSchema, errors=RECEIPT_ERRORS,
          summary="凭回执码查看办理进度与消息（回执码放在请求体或 X-Report-Receipt 头）")
def status(data):
    return services.reporter_status(receipt_from(data), client=client())


@endpoint(bp, "/messages", method="POST", auth=None, body=ReporterTextSchema, status=201,
          response=WrittenSchema, errors=RECEIPT_ERRORS + ("report.closed", "report.destroyed"),
          summary="凭回执码给办理人员留言")
def message(data):
    return services.reporter_write(receipt_from(data), data["text"], kind="message",
                                   client=client())


@endpoint(bp, "/information", method="POST", auth=None, body=ReporterTextSchema, status=201,
          response=WrittenSchema, errors=RECEIPT_ERRORS + ("report.closed", "report.destroyed"),
          summary="凭回执码补充举报材料（文字）")
def information(data):
    return services.reporter_write(receipt_from(data), data["text"], kind="information",
                                   client=client())


@endpoint(bp, "/attachments", method="POST", auth=None, files=("file",), status=201,
          response=AttachedSchema,
          errors=RECEIPT_ERRORS + ("report.closed", "report.destroyed",
                                   "report.too_many_attachments", "media.too_large",
                                   "media.unsupported_type"),
          summary="凭回执码（X-Report-Receipt 头）补充图片：去除位置等元数据后加密保存")
def attach(files):
    data = files["file"].stream.read(attachments.MAX_BYTES + 1)
    return attachments.reporter_attach(receipt_from(request.form), data, client=client())
