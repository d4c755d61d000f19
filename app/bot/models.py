"""Tables of the bot feature.

Configuration: ``BotEndpoint`` (an inbound channel — a WeCom smart bot, a WeCom app, an official
account, a message-archive pull or a relay bridge — with its secrets encrypted by app.crypto) and
``BotRobot`` (an outbound WeCom group robot with its persisted throttle window).
State: group bindings and one-time binding codes, sender identities, the (channel, msg_id)
ledger with the stored answer, recent messages per chat, pending confirmations, the classifier
dictionary, requests created from groups, the outbound queue and job cursors.
"""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.notifications.models import JSONTextField
from app.regions.models import Region

ENDPOINT_KINDS = ("wecom_bot", "wecom_app", "official_account", "wecom_archive", "relay")


class BotEndpoint(BaseModel):
    """An inbound channel of one community. Secrets are AES-GCM ciphertexts (app.crypto,
    purpose ``bot.secret``) and are never returned by any API."""

    kind = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=50)
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    receive_id = peewee.CharField(max_length=64, default="")  # corp id / appid; "" smart bot
    token_cipher = peewee.TextField(null=True)
    aes_key_cipher = peewee.TextField(null=True)
    secret_cipher = peewee.TextField(null=True)  # relay HMAC secret / WeCom app secret
    private_key_cipher = peewee.TextField(null=True)  # message archive RSA private key (PEM)
    agent_id = peewee.CharField(max_length=32, default="")
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("region_path", "id"), False),)


class BotRobot(BaseModel):
    """A WeCom group robot (群机器人) we post to through its webhook key.

    ``window`` is the persisted sliding window of recent send times (ISO strings, oldest first)
    and ``version`` guards its conditional update, so several processes share one limit.
    """

    name = peewee.CharField(max_length=50)
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    webhook_key_cipher = peewee.TextField()
    active = peewee.BooleanField(default=True)
    window = JSONTextField(default=list)
    blocked_until = peewee.DateTimeField(null=True)
    last_error = peewee.CharField(max_length=64, null=True)
    version = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("region_path", "id"), False),)


class BotGroup(BaseModel):
    """A chat bound to a region node (a building or a grid) by a grid worker."""

    channel = peewee.CharField(max_length=16)
    chat_id = peewee.CharField(max_length=160)
    endpoint = peewee.ForeignKeyField(BotEndpoint, null=True, on_delete="SET NULL")
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    robot = peewee.ForeignKeyField(BotRobot, null=True, on_delete="SET NULL")
    # The smart bot's latest response_url in this chat (single use, valid one hour).
    response_url_cipher = peewee.TextField(null=True)
    response_url_expires_at = peewee.DateTimeField(null=True)
    bound_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    status = peewee.CharField(max_length=12, default="active")  # active | unbound
    bound_at = peewee.DateTimeField(default=utcnow)
    unbound_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("channel", "chat_id"), True), (("region_path", "status", "id"), False))


class BindingCode(BaseModel):
    """A one-time code a grid worker sends as ``绑定 <code>``; only its SHA-256 is stored."""

    code_hash = peewee.CharField(max_length=64, unique=True)
    region = peewee.ForeignKeyField(Region, on_delete="CASCADE")
    region_path = peewee.CharField(max_length=255)
    issued_by = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    group = peewee.ForeignKeyField(BotGroup, null=True, on_delete="SET NULL")


class BotIdentity(BaseModel):
    """A channel identity (WeCom userid, external userid, official-account openid, bridge id)
    of a user. Only a keyed hash of the opaque id is stored."""

    key_hash = peewee.CharField(max_length=64, unique=True)
    kind = peewee.CharField(max_length=24)
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user",), False),)


class BotLedger(BaseModel):
    """Exactly once: one row per (channel, msg_id); a retried callback gets ``answer`` back."""

    channel = peewee.CharField(max_length=16)
    msg_id = peewee.CharField(max_length=160)
    answer = peewee.TextField(null=True)
    outcome = peewee.CharField(max_length=24, default="")
    request_id = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("channel", "msg_id"), True), (("created_at",), False))


class BotMessage(BaseModel):
    """Recent text messages of a bound group, for ``以上N条转诉求``; pruned after retention."""

    group = peewee.ForeignKeyField(BotGroup, on_delete="CASCADE")
    sender = peewee.ForeignKeyField(User, on_delete="CASCADE")
    text = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("group", "id"), False), (("created_at",), False))


class PendingConfirmation(BaseModel):
    """"是否登记为诉求？回复 1 确认": what the sender's ``1`` would register, until it expires."""

    group = peewee.ForeignKeyField(BotGroup, on_delete="CASCADE")
    sender = peewee.ForeignKeyField(User, on_delete="CASCADE")
    text = peewee.TextField()
    category_code = peewee.CharField(max_length=32)
    request_type = peewee.CharField(max_length=16)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("group", "sender"), True), (("expires_at",), False))


class BotKeyword(BaseModel):
    """One dictionary word of the classifier: a bucket (a category, or ``signal`` / ``ignore``
    / ``moderation``) and a weight. ``town`` is a town's region id, 0 for the default
    dictionary every town uses (0, not NULL, so the unique index covers the defaults too)."""

    town = peewee.IntegerField(default=0)
    category_code = peewee.CharField(max_length=32)
    word = peewee.CharField(max_length=20)
    weight = peewee.FloatField(default=1.0)
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("town", "category_code", "word"), True),)


class BotRequestLink(BaseModel):
    """A request created from a bound group: where its progress notices go."""

    request_id = peewee.IntegerField(unique=True)
    group = peewee.ForeignKeyField(BotGroup, on_delete="CASCADE")
    sender = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)


class BotOutbound(BaseModel):
    """One outbound message. ``lane`` orders delivery (``robot:<id>`` lanes are throttled and
    strictly in id order); ``target_cipher`` holds a response_url or a WeCom app recipient."""

    lane = peewee.CharField(max_length=32)
    kind = peewee.CharField(max_length=16)  # robot | response_url | wecom_app
    robot = peewee.ForeignKeyField(BotRobot, null=True, on_delete="CASCADE")
    group = peewee.ForeignKeyField(BotGroup, null=True, on_delete="SET NULL")
    endpoint = peewee.ForeignKeyField(BotEndpoint, null=True, on_delete="SET NULL")
    target_cipher = peewee.TextField(null=True)
    text = peewee.TextField()
    dedupe_key = peewee.CharField(max_length=191, unique=True)
    status = peewee.CharField(max_length=12, default="pending")
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(null=True)
    lease_until = peewee.DateTimeField(null=True)
    expires_at = peewee.DateTimeField(null=True)
    last_error = peewee.CharField(max_length=64, null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False), (("lane", "status", "id"), False))


class BotCursor(BaseModel):
    """A job's position: the timeline scan's last entry id, an archive endpoint's ``seq``."""

    name = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.BigIntegerField(default=0)
    updated_at = peewee.DateTimeField(default=utcnow)
