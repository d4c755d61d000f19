"""Tables of accounts: users, household bindings, role grants, API tokens, staff credentials."""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region

ROLES = (
    "resident",
    "grid_worker",
    "cadre",
    "finance_panel",
    "supervision_committee",
    "discipline_officer",
    "town_admin",
    "sysadmin",
)
ROLE_NAMES = {
    "resident": "居民",
    "grid_worker": "网格员",
    "cadre": "村(社区)干部",
    "finance_panel": "民主理财小组",
    "supervision_committee": "村务监督委员会",
    "discipline_officer": "纪检监察干部",
    "town_admin": "街道(乡镇)管理员",
    "sysadmin": "系统管理员",
}


class User(BaseModel):
    """A person. Mini-program users have an openid; staff may have only a staff credential.

    The phone is kept twice: ``phone_hash`` (keyed HMAC, for lookup) and ``phone_cipher``
    (AES-GCM, so the owner can see it); everyone else sees it masked.
    """

    openid = peewee.CharField(max_length=64, unique=True, null=True)
    unionid = peewee.CharField(max_length=64, unique=True, null=True)
    display_name = peewee.CharField(max_length=50, default="")
    phone_hash = peewee.CharField(max_length=64, unique=True, null=True)
    phone_cipher = peewee.TextField(null=True)
    phone_masked = peewee.CharField(max_length=16, null=True)
    household = peewee.ForeignKeyField(Region, null=True, backref="members", on_delete="SET NULL")
    is_volunteer = peewee.BooleanField(default=False)
    is_party_member = peewee.BooleanField(default=False)
    status = peewee.CharField(max_length=16, default="active")  # active | disabled
    created_at = peewee.DateTimeField(default=utcnow)


class HouseholdBinding(BaseModel):
    """A resident's request to be bound to a household, approved by that grid's worker."""

    user = peewee.ForeignKeyField(User, backref="bindings", on_delete="CASCADE")
    household = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    real_name = peewee.CharField(max_length=50)
    relation = peewee.CharField(max_length=20)  # 户主 / 配偶 / 子女 / 租户 …
    status = peewee.CharField(max_length=16, default="pending")  # pending|approved|rejected|ended
    reason = peewee.CharField(max_length=200, default="")
    decided_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    decided_at = peewee.DateTimeField(null=True)
    ended_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("region_path", "status", "id"), False),)


class RoleGrant(BaseModel):
    """One role held by a user over one region node (and everything below it)."""

    user = peewee.ForeignKeyField(User, backref="grants", on_delete="CASCADE")
    role = peewee.CharField(max_length=32)
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    granted_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "revoked_at"), False),)


class AuthToken(BaseModel):
    """An opaque bearer token. Only its SHA-256 is stored; the plaintext is shown once."""

    token_hash = peewee.CharField(max_length=64, unique=True)
    user = peewee.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    kind = peewee.CharField(max_length=16)  # miniprogram | staff
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    last_used_at = peewee.DateTimeField(default=utcnow)
    revoked_at = peewee.DateTimeField(null=True)


class StaffCredential(BaseModel):
    """Console login: username, argon2id hash, lockout counters and an optional TOTP secret."""

    user = peewee.ForeignKeyField(User, unique=True, backref="credential", on_delete="CASCADE")
    username = peewee.CharField(max_length=64, unique=True)
    password_hash = peewee.CharField(max_length=255)
    totp_secret_cipher = peewee.TextField(null=True)
    totp_pending_cipher = peewee.TextField(null=True)
    totp_last_step = peewee.BigIntegerField(default=0)
    failed_count = peewee.IntegerField(default=0)
    locked_until = peewee.DateTimeField(null=True)
    password_changed_at = peewee.DateTimeField(default=utcnow)
