"""Helpers every console page uses: rendering, times in Asia/Shanghai, safe redirects, the
error pages, running one service call from a form, and a list page's tab and next-page link.

Page modules stay thin, like the API views: read the form, call one service, render or
redirect. A domain error from a form's service call becomes a message on the page the form
came from (:func:`perform`); 401/403/404 and everything else become the pages below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.routing import BuildError

from app.clock import to_local
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from miniprogram_api.pagination import page_of

# The 403 page says nothing about what was asked for: not its kind, not whether it exists.
ERROR_TEXT = {
    400: ("请求无法完成", "页面可能已过期，请返回上一页刷新后重试。"),
    403: ("没有权限", "您当前的角色无权查看此页面。如需办理，请联系上级或系统管理员开通权限。"),
    404: ("页面不存在", "找不到您要的页面，可能地址有误，或者内容已被删除。"),
    405: ("请求无法完成", "不支持该请求方式。"),
    429: ("操作太频繁", ""),
    500: ("服务器出错", "服务器出了点问题，请稍后再试。如果一直出现，请联系系统管理员。"),
}


def render(template: str, **context) -> str:
    return render_template(template, **context)


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored naive-UTC time shown in Asia/Shanghai (the ``console_time`` filter)."""
    return to_local(value).strftime(fmt) if value else ""


def safe_next(target: str | None) -> str:
    """Only a path inside the console may be a redirect target (no open redirect)."""
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return url_for("console.home")


def link_for(endpoint: str, **values) -> str | None:
    """The URL of a console page, or None while that page does not exist yet (lists on the
    home page link to items whose pages later sessions add)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def error_page(status: int, code: str, message: str):
    """The Chinese HTML page for an error under /console (registered with the envelope)."""
    if status == 401:
        session.clear()
        flash(message, "error")
        return redirect(url_for("console.login"))
    if status >= 500:
        g.console_identity = None  # the header's queries may be what failed; keep the page plain
    title, text = ERROR_TEXT.get(status, ("请求无法完成", ""))
    if status in (400, 409, 422, 429):
        text = message  # a domain message explains the refusal, e.g. "账号已锁定"
    return render_template("console/error.html", status=status, title=title, text=text), status


def perform(call: Callable[[], object], *, back: str, done: str,
            refusals: Collection[str] = ()):
    """Run one service call from a form. Success: flash ``done`` and go to ``back``.

    A refusal the person can fix (invalid input, a state conflict) is flashed on the page the
    form came from; 401/403/404 are left to the error pages, so a denied action shows the 403
    page and an unreachable object the 404 page. Only a Forbidden whose code is in
    ``refusals`` (one that just those who may read the page can meet, e.g. approving one's
    own disclosure) is flashed on ``back`` as well.
    """
    try:
        call()
    except Forbidden as exc:
        if exc.code not in refusals:
            raise
        flash(exc.message, "error")
        return redirect(back, code=303)
    except (Unauthorized, NotFound):
        raise
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(back, code=303)
    flash(done, "info")
    return redirect(back, code=303)


def perform_action(actions, action: str, actor, object_id: int, *, back: str,
                   refusals: Collection[str] = ()):
    """``perform`` the form ``action`` of a page's table of forms (form name -> (message on
    success, service call taking (actor, object id)))."""
    done, call = actions[action]
    return perform(lambda: call(actor, object_id), back=back, done=done, refusals=refusals)


def form_text(name: str, limit: int = 2000) -> str:
    return (request.form.get(name) or "").strip()[:limit]


def form_int(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def tab_arg(tabs, default: str, name: str = "tab") -> str:
    """The query argument ``name`` when it is one of ``tabs``' keys, else ``default``."""
    value = request.args.get(name)
    return value if value in tabs else default


def keyset_page(query, order_field, endpoint: str, *, limit: int = 20,
                **url_args) -> tuple[list, str | None]:
    """One page of ``query`` after ``?cursor=`` (newest first, ``page_of``) and the link to
    the next page: ``endpoint`` with ``url_args`` and the next cursor, or None on the last."""
    result = page_of(query, order_field, cursor=request.args.get("cursor"), limit=limit)
    next_url = (url_for(endpoint, **url_args, cursor=result.next_cursor)
                if result.next_cursor else None)
    return result.items, next_url
