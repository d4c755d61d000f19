"""The ``console`` blueprint object and what every console page shares: cookie settings, the
CSRF check on every POST, the template context and the HTML error pages.

Kept apart from the page modules so they can import ``bp`` without a cycle.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, request

from miniprogram_api.console import csrf
from miniprogram_api.console.pages import error_page, local_time
from miniprogram_api.envelope import register_html_errors

STATIC = Path(__file__).resolve().parent.parent / "static" / "console"
COOKIE_NAME = "linli_console"
LARGE_FONT_COOKIE = "linli_large_font"

bp = Blueprint("console", __name__, url_prefix="/console", static_folder=str(STATIC),
               static_url_path="/static")


@bp.record_once
def _configure(state) -> None:
    """Session cookie of the console: HttpOnly, SameSite=Lax, sent only under /console, and
    Secure everywhere but a developer's machine (plain http://127.0.0.1)."""
    app = state.app
    settings = app.config["LINLI_SETTINGS"]
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH="/console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env != "development",
    )
    register_html_errors(app, "/console", error_page)


bp.add_app_template_filter(local_time, "console_time")


@bp.before_request
def _check_csrf() -> None:
    if request.method == "POST":
        csrf.check(request.form.get(csrf.FIELD))


@bp.after_request
def _headers(response):
    # Pages show personal data: never cache them, never frame them, no referrer to elsewhere.
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'")
    return response


@bp.context_processor
def _context() -> dict:
    from miniprogram_api.console import session

    return {"csrf_token": csrf.token(), "csrf_field": csrf.FIELD,
            "large_font": request.cookies.get(LARGE_FONT_COOKIE) == "1",
            "me": session.current_identity()}
