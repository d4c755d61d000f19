"""Rate limits on the routes worth flooding: staff login (API and console), request
submission, receipt checks.

Each limit is a fixed window (Flask-Limiter on the ``limits`` library) whose size comes from
settings (``RATE_LIMIT_*``), read per request so a changed setting applies at once. Counters
live in Redis when ``REDIS_URL`` is set, so every worker and host shares them; otherwise in this
process's memory (one worker: exact; several: per worker).

What already exists is not repeated here: the staff account lockout after
``LOGIN_MAX_FAILURES`` wrong passwords (``app.accounts.staff``) protects one account, this
limit caps one client across all accounts; the report throttle (``app.reports.throttle``) locks a
client out after wrong receipts and caps report submissions, this limit caps how often one
client may present receipts at all, right or wrong.

Counters are keyed without raw addresses: a keyed hash of the client address for login, the
user id for submission, and the reports module's own daily-rotating fingerprint for receipts.
A breach answers 429 in the JSON envelope, code ``rate.limited``, with ``Retry-After``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, current_app, make_response
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

from app import crypto
from miniprogram_api.auth import current_actor
from miniprogram_api.envelope import fail, html_error_page

CODE = "rate.limited"
MESSAGE = "操作太频繁，请稍后再试"


def _settings():
    return current_app.config["LINLI_SETTINGS"]


def address_key() -> str:
    from flask import request

    return "addr:" + crypto.keyed_hash("ratelimit.address", request.remote_addr or "")[:32]


def user_key() -> str:
    actor = current_actor(required=False)
    return f"user:{actor.user_id}" if actor is not None else address_key()


def report_client_key() -> str:
    from miniprogram_api.views.reports import client

    return "report:" + client()


# endpoint -> (settings field with the limit, key function, shared scope or None)
LIMITS: dict[str, tuple[str, Callable[[], str], str | None]] = {
    # The API login and the console's login form share one budget per client address.
    "admin_auth.login": ("rate_limit_staff_login", address_key, "staff.login"),
    "console.login": ("rate_limit_staff_login", address_key, "staff.login"),
    "requests.submit": ("rate_limit_request_submit", user_key, None),
    "reports.status": ("rate_limit_receipt_check", report_client_key, "reports.receipt"),
    "reports.message": ("rate_limit_receipt_check", report_client_key, "reports.receipt"),
    "reports.information": ("rate_limit_receipt_check", report_client_key, "reports.receipt"),
}


# Only these methods count (the console's login page is a GET before it is a POST).
METHODS = {"console.login": ["POST"]}


def _breach(limit) -> object:
    retry_after = max(1, math.ceil(limit.window.reset_time - time.time()))
    headers = {"Retry-After": str(retry_after)}
    page = html_error_page(429, CODE, MESSAGE)  # the console shows its own Chinese page
    if page is not None:
        response = make_response(page)
        response.headers.update(headers)
        return response
    return fail(429, CODE, MESSAGE, {"retry_after": retry_after}, headers=headers)


def install_rate_limits(app: Flask, settings) -> Limiter:
    """Attach the limiter and wrap the limited views (call after blueprints are registered)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", settings.redis_url or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "linli.ratelimit")
    limiter = Limiter(key_func=address_key, app=app, strategy="fixed-window",
                      headers_enabled=False, on_breach=_breach,
                      # A Redis outage must not take logins down with it.
                      swallow_errors=True, in_memory_fallback_enabled=True)
    limiter.request_filter(lambda: not _settings().rate_limits_enabled)
    app.extensions["linli_limiter"] = limiter
    for endpoint, (field, key_func, scope) in LIMITS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue  # the route's blueprint is not installed in this app

        def value(field=field) -> str:
            return getattr(_settings(), field)

        methods = METHODS.get(endpoint)
        if scope:
            wrap = limiter.shared_limit(value, scope=scope, key_func=key_func, methods=methods)
        else:
            wrap = limiter.limit(value, key_func=key_func, methods=methods)
        app.view_functions[endpoint] = wrap(view)

    @app.errorhandler(RateLimitExceeded)
    def _limited(exc: RateLimitExceeded):
        if exc.response is not None:
            return exc.response
        return fail(429, CODE, MESSAGE, headers={"Retry-After": "60"})

    return limiter
