"""The ``public_pages`` blueprint object: security headers and the Chinese error pages.

Kept apart from the page modules so they can import ``bp`` without a cycle.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Blueprint, render_template

from app.clock import to_local
from miniprogram_api.envelope import register_html_errors

STATIC = Path(__file__).resolve().parent.parent / "static" / "public"

bp = Blueprint("public_pages", __name__, url_prefix="/p", static_folder=str(STATIC),
               static_url_path="/static")

ERROR_TEXT = {
    400: ("请求无法完成", "页面地址可能有误，请返回上一页重试。"),
    404: ("页面不存在", "找不到您要的内容，可能地址有误，或者尚未公开。"),
    429: ("访问太频繁", "请稍后再试。"),
    500: ("服务器出错", "服务器出了点问题，请稍后再试。"),
}


def error_page(status: int, code: str, message: str):
    """The Chinese HTML page for an error under /p (registered with the envelope)."""
    title, text = ERROR_TEXT.get(status, ("请求无法完成", ""))
    if status in (400, 422):
        text = message
    return render_template("public/error.html", status=status, title=title, text=text), status


@bp.record_once
def _configure(state) -> None:
    register_html_errors(state.app, "/p", error_page)


@bp.app_template_filter("public_time")
def public_time(value, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    """A stored naive-UTC time in Asia/Shanghai, written the Chinese way."""
    return to_local(value).strftime(fmt) if value else ""


@bp.app_template_filter("period_end")
def period_end(value) -> str:
    """The end of an objection period (midnight, Asia/Shanghai) as "…日 24:00"."""
    if not value:
        return ""
    return (to_local(value) - dt.timedelta(seconds=1)).strftime("%Y年%m月%d日") + " 24:00"


@bp.after_request
def _headers(response):
    if response.mimetype == "text/html":
        # Published content only, but it may be corrected: let browsers revalidate.
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'")
    return response
