"""Configuring the bot's channels (endpoints and relay bridges) and outbound group robots.

Town admins configure their town, sysadmins anything (``bot.configure``). Secrets — callback
tokens, EncodingAESKeys, bridge and app secrets, the archive's RSA key, robot webhook keys — are
stored encrypted (app.crypto, purpose ``bot.secret``), are write-only through every API, and
are decrypted only by the edges that verify callbacks or send messages.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from app import crypto
from app.audit.services import record
from app.bot import policies
from app.bot.models import ENDPOINT_KINDS, BotEndpoint, BotRobot
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, authorize, can, require_any_scope
from app.regions import services as regions

PURPOSE = "bot.secret"
_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")
_WEBHOOK_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_REQUIRED = {
    "wecom_bot": ("token", "encoding_aes_key"),
    "wecom_app": ("token", "encoding_aes_key", "receive_id"),
    "official_account": ("token", "receive_id"),
    "wecom_archive": ("receive_id", "secret", "private_key"),
    "relay": ("secret",),
}


@dataclass(frozen=True)
class EndpointSecrets:
    token: str | None
    encoding_aes_key: str | None
    secret: str | None
    private_key: str | None


def seal(value: str | None) -> str | None:
    return crypto.encrypt(PURPOSE, value) if value else None


def unseal(value: str | None) -> str | None:
    return crypto.decrypt(PURPOSE, value) if value else None


def _check_secrets(kind: str, values: dict) -> None:
    missing = [name for name in _REQUIRED[kind] if not values.get(name)]
    if missing:
        raise InvalidInput("bot.endpoint_incomplete", "该类型的接入需要填写完整的配置",
                           {"missing": missing})
    token, aes_key = values.get("token"), values.get("encoding_aes_key")
    if token and not _TOKEN.match(token):
        raise InvalidInput("bot.bad_token", "Token 应为 3 到 32 位英文字母或数字")
    if aes_key:
        try:
            ok = len(aes_key) == 43 and len(base64.b64decode(aes_key + "=")) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise InvalidInput("bot.bad_aes_key", "EncodingAESKey 应为 43 位")
    secret = values.get("secret")
    if kind == "relay" and secret and len(secret) < 16:
        raise InvalidInput("bot.weak_secret", "转发密钥至少 16 位")


def create_endpoint(actor: Actor | None, *, kind: str, name: str, region_id: int,
                    receive_id: str = "", token: str | None = None,
                    encoding_aes_key: str | None = None, secret: str | None = None,
                    private_key: str | None = None, agent_id: str = "") -> BotEndpoint:
    """Add an inbound channel for a region (usually a town or village).

    Town admins and sysadmins in scope (``bot.configure``). Raises Unauthorized, Forbidden,
    InvalidInput bot.bad_kind / bot.endpoint_incomplete / bot.bad_token / bot.bad_aes_key /
    bot.weak_secret. Audited (no secret in the summary). Changes: a ``BotEndpoint``.
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.CONFIGURE, region.path)
    if kind not in ENDPOINT_KINDS:
        raise InvalidInput("bot.bad_kind", "未知的接入类型")
    values = {"token": token, "encoding_aes_key": encoding_aes_key, "secret": secret,
              "private_key": private_key, "receive_id": receive_id}
    _check_secrets(kind, values)
    with database.atomic():
        endpoint = BotEndpoint.create(
            kind=kind, name=name.strip()[:50], region=region, region_path=region.path,
            receive_id=(receive_id or "").strip(), token_cipher=seal(token),
            aes_key_cipher=seal(encoding_aes_key), secret_cipher=seal(secret),
            private_key_cipher=seal(private_key), agent_id=(agent_id or "").strip())
        record(actor=actor, grant=grant, action="bot.create_endpoint",
               object_type="bot_endpoint", object_id=endpoint.id, region_path=region.path,
               summary={"kind": kind})
    return endpoint


def load_endpoint_for_staff(actor: Actor | None, endpoint_id: int) -> BotEndpoint:
    require_any_scope(actor, policies.CONFIGURE)
    endpoint = BotEndpoint.get_or_none(BotEndpoint.id == endpoint_id)
    if endpoint is None or not can(actor, policies.CONFIGURE, endpoint.region_path):
        raise NotFound("bot.endpoint_not_found", "找不到该接入配置")
    return endpoint


def update_endpoint(actor: Actor | None, endpoint_id: int, *, name: str | None = None,
                    active: bool | None = None, token: str | None = None,
                    encoding_aes_key: str | None = None, secret: str | None = None,
                    private_key: str | None = None) -> BotEndpoint:
    """Rename, switch on/off or rotate secrets of an endpoint (None keeps a value).

    Same callers and errors as :func:`create_endpoint`, plus NotFound bot.endpoint_not_found.
    Audited. Changes: the ``BotEndpoint``.
    """
    endpoint = load_endpoint_for_staff(actor, endpoint_id)
    grant = authorize(actor, policies.CONFIGURE, endpoint.region_path)
    current = secrets_of(endpoint)
    values = {"token": token or current.token,
              "encoding_aes_key": encoding_aes_key or current.encoding_aes_key,
              "secret": secret or current.secret, "receive_id": endpoint.receive_id,
              "private_key": private_key or current.private_key}
    _check_secrets(endpoint.kind, values)
    changes = {}
    if name is not None:
        changes["name"] = name.strip()[:50]
    if active is not None:
        changes["active"] = active
    for field, value in (("token_cipher", token), ("aes_key_cipher", encoding_aes_key),
                         ("secret_cipher", secret), ("private_key_cipher", private_key)):
        if value:
            changes[field] = seal(value)
    with database.atomic():
        if changes:
            BotEndpoint.update(**changes).where(BotEndpoint.id == endpoint.id).execute()
        record(actor=actor, grant=grant, action="bot.update_endpoint",
               object_type="bot_endpoint", object_id=endpoint.id,
               region_path=endpoint.region_path, summary={"fields": sorted(changes)})
    return BotEndpoint.get_by_id(endpoint.id)


def endpoints_query(actor: Actor | None):
    """Endpoints in the caller's scope, for keyset paging. Raises Forbidden."""
    return _scoped(BotEndpoint, require_any_scope(actor, policies.CONFIGURE))


def _scoped(model, paths: list[str]):
    cond = None
    for path in paths:
        part = regions.in_subtree(model.region_path, path)
        cond = part if cond is None else (cond | part)
    return model.select().where(cond)


def secrets_of(endpoint: BotEndpoint) -> EndpointSecrets:
    """The decrypted secrets of an endpoint, for the edge that verifies its callbacks."""
    return EndpointSecrets(unseal(endpoint.token_cipher), unseal(endpoint.aes_key_cipher),
                           unseal(endpoint.secret_cipher), unseal(endpoint.private_key_cipher))


def active_endpoint(endpoint_id: int, kind: str) -> BotEndpoint | None:
    return BotEndpoint.get_or_none((BotEndpoint.id == endpoint_id) & (BotEndpoint.kind == kind)
                                   & BotEndpoint.active)


def create_robot(actor: Actor | None, *, name: str, region_id: int,
                 webhook_key: str) -> BotRobot:
    """Add a WeCom group robot by its webhook key (the ``key=`` of its webhook URL).

    ``bot.configure`` in scope. Raises Unauthorized, Forbidden, InvalidInput
    bot.bad_webhook_key. Audited. Changes: a ``BotRobot``.
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.CONFIGURE, region.path)
    if not _WEBHOOK_KEY.match(webhook_key or ""):
        raise InvalidInput("bot.bad_webhook_key", "请填写群机器人 Webhook 地址中的 key")
    with database.atomic():
        robot = BotRobot.create(name=name.strip()[:50], region=region, region_path=region.path,
                                webhook_key_cipher=seal(webhook_key))
        record(actor=actor, grant=grant, action="bot.create_robot", object_type="bot_robot",
               object_id=robot.id, region_path=region.path, summary={})
    return robot


def update_robot(actor: Actor | None, robot_id: int, *, name: str | None = None,
                 active: bool | None = None, webhook_key: str | None = None) -> BotRobot:
    """Rename, switch on/off or replace the key of a robot. Raises bot.robot_not_found."""
    require_any_scope(actor, policies.CONFIGURE)
    robot = BotRobot.get_or_none(BotRobot.id == robot_id)
    if robot is None or not can(actor, policies.CONFIGURE, robot.region_path):
        raise NotFound("bot.robot_not_found", "找不到该群机器人")
    grant = authorize(actor, policies.CONFIGURE, robot.region_path)
    if webhook_key is not None and not _WEBHOOK_KEY.match(webhook_key):
        raise InvalidInput("bot.bad_webhook_key", "请填写群机器人 Webhook 地址中的 key")
    changes = {}
    if name is not None:
        changes["name"] = name.strip()[:50]
    if active is not None:
        changes["active"] = active
    if webhook_key:
        changes.update(webhook_key_cipher=seal(webhook_key), last_error=None)
    with database.atomic():
        if changes:
            BotRobot.update(**changes).where(BotRobot.id == robot.id).execute()
        record(actor=actor, grant=grant, action="bot.update_robot", object_type="bot_robot",
               object_id=robot.id, region_path=robot.region_path,
               summary={"fields": sorted(changes)})
    return BotRobot.get_by_id(robot.id)


def robots_query(actor: Actor | None):
    """Robots in the caller's scope, for keyset paging. Raises Forbidden."""
    return _scoped(BotRobot, require_any_scope(actor, policies.CONFIGURE))
