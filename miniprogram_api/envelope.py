"""The one JSON envelope: ``{"ok": true, "data": …}`` or ``{"ok": false, "error": {…}}``.

Every error path — domain errors, marshmallow validation, Werkzeug's 404/405/413, and uncaught
exceptions — is rendered here, so clients parse exactly one shape.

HTML pages (the staff console) are the one exception: a blueprint that serves pages registers a
renderer for its URL prefix with :func:`register_html_errors`, and errors under that prefix are
rendered by it as a page instead of JSON. The status and Chinese message are the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from app.errors import DomainError

log = logging.getLogger("linli.api")

HTTP_ERRORS = {
    400: ("request.bad", "请求格式不正确"),
    401: ("auth.required", "请先登录"),
    403: ("permission.denied", "您没有权限进行此操作"),
    404: ("not_found", "找不到您要的内容"),
    405: ("method_not_allowed", "不支持该请求方式"),
    413: ("request.too_large", "上传的内容太大"),
    415: ("request.unsupported_type", "请以 JSON 格式提交"),
    429: ("rate_limited", "操作太频繁，请稍后再试"),
    500: ("internal", "服务器出了点问题，请稍后再试"),
}


def ok(data=None, status: int = 200):
    return jsonify({"ok": True, "data": data}), status


def fail(status: int, code: str, message: str, details: dict | None = None, headers=None):
    body = {"ok": False, "error": {"code": code, "message": message, "details": details or {}}}
    response = jsonify(body)
    response.status_code = status
    if headers:
        response.headers.extend(headers)
    return response


HtmlErrorRenderer = Callable[[int, str, str], object]


def register_html_errors(app: Flask, prefix: str, renderer: HtmlErrorRenderer) -> None:
    """Render errors of requests under ``prefix`` with ``renderer(status, code, message)``."""
    app.extensions.setdefault("html_error_pages", []).append((prefix, renderer))


def html_error_page(status: int, code: str, message: str):
    """The HTML error page for this request's path, if a page blueprint claims it."""
    for prefix, renderer in current_app.extensions.get("html_error_pages", ()):
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return renderer(status, code, message)
    return None


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        page = html_error_page(exc.status, exc.code, exc.message)
        if page is not None:
            return page
        headers = None
        if exc.status == 429 and "retry_after" in exc.details:
            headers = {"Retry-After": str(exc.details["retry_after"])}
        return fail(exc.status, exc.code, exc.message, exc.details, headers)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        page = html_error_page(422, "validation.failed", "提交的内容不符合要求")
        if page is not None:
            return page
        return fail(422, "validation.failed", "提交的内容不符合要求", {"fields": fields})

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        code, message = HTTP_ERRORS.get(status, ("http.error", "请求无法完成"))
        page = html_error_page(status, code, message)
        if page is not None:
            return page
        allow = exc.get_headers() if status == 405 else None
        headers = [(k, v) for k, v in (allow or []) if k.lower() == "allow"]
        return fail(status, code, message, headers=headers or None)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # The traceback goes to the log with the request id, never to the client.
        log.exception("unhandled error request_id=%s", g.get("request_id", "-"))
        code, message = HTTP_ERRORS[500]
        page = html_error_page(500, code, message)
        if page is not None:
            return page
        return fail(500, code, message, {"request_id": g.get("request_id")})
