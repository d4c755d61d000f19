"""The bot's HTTP edge (``/bot/…``): WeChat callbacks and the signed relay webhook.

These routes answer in WeChat's formats (plain-text echoes, encrypted JSON or XML), not in the
API envelope; the relay answers ``{"ok": …}`` like the API. Each one: a body over
``MAX_BODY`` is refused with 413, an unknown or inactive endpoint with 404, a timestamp outside
five minutes or a bad signature with 403, a malformed or undecryptable body with 400 — in every
case before anything is stored. Handling is synchronous and short (a ledger row, the dialog,
outbox rows): well inside WeChat's 5 s.
"""

from __future__ import annotations

import logging
import threading

from flask import Blueprint, Response, jsonify, request

from app.bot import config
from app.bot.classifier import warm_up
from app.clock import utcnow
from bot import openapi_docs
from bot.adapters import official_account, relay, wecom_app, wecom_bot
from bot.crypto import CallbackRefused

log = logging.getLogger("linli.bot.http")
bp = Blueprint("bot", __name__, url_prefix="/bot")
MAX_BODY = 64 * 1024
_ADAPTERS = {"wecom_bot": wecom_bot, "wecom_app": wecom_app,
             "official_account": official_account}


def read_body() -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise CallbackRefused(413, "bot.too_large")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise CallbackRefused(413, "bot.too_large")
    return body


def _endpoint(endpoint_id: int, kind: str):
    endpoint = config.active_endpoint(endpoint_id, kind)
    if endpoint is None:
        raise CallbackRefused(404, "bot.unknown_endpoint")
    return endpoint, config.secrets_of(endpoint)


def _callback(kind: str, endpoint_id: int) -> Response:
    adapter = _ADAPTERS[kind]
    now = utcnow()
    try:
        if request.method == "GET":
            endpoint, secrets = _endpoint(endpoint_id, kind)
            echo = adapter.verify(endpoint, secrets, request.args, now)
            return Response(echo, 200, mimetype="text/plain")
        body = read_body()
        endpoint, secrets = _endpoint(endpoint_id, kind)
        payload, mimetype = adapter.callback(endpoint, secrets, request.args, body, now)
        return Response(payload, 200, mimetype=mimetype)
    except CallbackRefused as exc:
        log.warning("bot callback refused kind=%s endpoint=%s code=%s", kind, endpoint_id,
                    exc.code)
        return Response(exc.code, exc.status, mimetype="text/plain")


@bp.route("/wecom-bot/<int:endpoint_id>", methods=["GET", "POST"])
def wecom_bot_callback(endpoint_id: int):
    return _callback("wecom_bot", endpoint_id)


@bp.route("/wecom-app/<int:endpoint_id>", methods=["GET", "POST"])
def wecom_app_callback(endpoint_id: int):
    return _callback("wecom_app", endpoint_id)


@bp.route("/mp/<int:endpoint_id>", methods=["GET", "POST"])
def official_account_callback(endpoint_id: int):
    return _callback("official_account", endpoint_id)


_RELAY_MESSAGES = {400: "请求格式不正确", 403: "签名无效或请求已过期", 404: "找不到该转发通道",
                   413: "请求内容太大"}


@bp.route("/relay", methods=["POST"])
def relay_webhook():
    try:
        body = read_body()
        raw_id = request.headers.get("X-Linli-Bridge", "")
        if not raw_id.isdigit():
            raise CallbackRefused(403, "bot.bad_signature")
        endpoint, secrets = _endpoint(int(raw_id), "relay")
        return jsonify(relay.callback(endpoint, secrets, request.headers, body, utcnow()))
    except CallbackRefused as exc:
        log.warning("bot relay refused code=%s", exc.code)
        response = jsonify({"ok": False, "error": {
            "code": exc.code, "message": _RELAY_MESSAGES.get(exc.status, "请求无法完成"),
            "details": {}}})
        response.status_code = exc.status
        return response


openapi_docs.document(bp)


@bp.record_once
def _warm_classifier(state) -> None:
    """Load the segmenter's dictionary in the background when the app starts, so the first
    callback of a worker does not pay for it inside WeChat's 5 s."""
    if not state.app.config.get("TESTING"):
        threading.Thread(target=warm_up, name="bot-classifier-warm-up", daemon=True).start()
