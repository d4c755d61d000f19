"""The Flask application factory: the HTTP composition root.

``create_app`` wires settings, the database proxy, the WeChat gateway, blueprints, the error
envelope and the CLI. ``flask --app miniprogram_api <command>`` finds it by name.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, g, request

from app import crypto
from app.db import database, init_database
from config import Settings, load_settings
from miniprogram_api.envelope import install_error_handlers
from miniprogram_api.logs import configure_logging  # JSON lines; the scheduler imports it here

BLUEPRINTS = (
    "miniprogram_api.views.meta",
    "miniprogram_api.views.auth",
    "miniprogram_api.views.admin_auth",
    "miniprogram_api.views.admin_accounts",
    "miniprogram_api.views.households",
    "miniprogram_api.views.calendar",
    "miniprogram_api.views.notifications",
    "miniprogram_api.views.requests",
    "miniprogram_api.views.admin_requests",
    "miniprogram_api.views.request_config",
    "miniprogram_api.views.request_export",
    "miniprogram_api.views.open311",
    "miniprogram_api.views.media",
    "miniprogram_api.views.transparency",
    "miniprogram_api.views.posts",
    "miniprogram_api.views.admin_posts",
    "miniprogram_api.views.wishes",
    "miniprogram_api.views.admin_wishes",
    "miniprogram_api.views.reports",
    "miniprogram_api.views.admin_reports",
    "miniprogram_api.views.points",
    "miniprogram_api.views.admin_points",
    "bot.http",
    "miniprogram_api.views.admin_bot",
    "miniprogram_api.views.actions",
    "miniprogram_api.views.admin_actions",
    "miniprogram_api.views.disclosures",
    "miniprogram_api.views.admin_disclosures",
    "miniprogram_api.views.ledger",
    "miniprogram_api.views.admin_ledger",
    "miniprogram_api.views.notices",
    "miniprogram_api.views.admin_notices",
    "miniprogram_api.views.powers",
    "miniprogram_api.views.admin_powers",
    "miniprogram_api.views.admin_seals",
    "miniprogram_api.views.livestreams",
    "miniprogram_api.views.projects",
    "miniprogram_api.views.admin_projects",
    "miniprogram_api.views.consultations",
    "miniprogram_api.views.admin_consultations",
    "miniprogram_api.console",
    "miniprogram_api.public_pages",
    "miniprogram_api.metrics",
)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _install_operations(app: Flask, settings: Settings) -> None:
    """Proxy headers, access log, latency metrics, rate limits and the 422 for numbers a
    column cannot hold (issue 10: operations and fuzzing)."""
    from miniprogram_api.input_limits import install_input_limits
    from miniprogram_api.logs import install_access_log
    from miniprogram_api.metrics import install_request_metrics
    from miniprogram_api.ratelimit import install_rate_limits
    from miniprogram_api.views.reports import on_report_route

    if settings.trusted_proxy_count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_count)
    # after_request hooks run last-registered first: metrics observe after the access line.
    install_request_metrics(app)
    install_access_log(app, skip=on_report_route)
    install_rate_limits(app, settings)
    install_input_limits(app)


def create_app(settings: Settings | None = None, *, wechat_gateway=None) -> Flask:
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    crypto.configure(settings.secret_key)
    init_database(settings.database_url, replica_url=settings.database_replica_url,
                  pool_size=settings.db_pool_size,
                  busy_timeout_ms=settings.sqlite_busy_timeout_ms)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        MEDIA_ROOT=settings.media_root,
        LINLI_SETTINGS=settings,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    if wechat_gateway is None:
        from miniprogram_api.wechat import build_gateway

        wechat_gateway = build_gateway(settings)
    app.extensions["wechat"] = wechat_gateway
    from miniprogram_api.wechat.content import WeChatContentChecker

    app.extensions["content_checker"] = WeChatContentChecker(wechat_gateway)

    import importlib

    for module_name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module_name).bp)
    install_error_handlers(app)
    _install_operations(app, settings)

    @app.before_request
    def _open():
        # nginx passes its $request_id; anything else a client sends is replaced, so a log
        # line's id is always a short token and never text the caller chose.
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else secrets.token_hex(8)
        database.connect(reuse_if_open=True)

    @app.after_request
    def _tag(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()

    from miniprogram_api.cli import register_cli

    register_cli(app)
    return app
