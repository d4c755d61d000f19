"""Opaque bearer tokens: issue, resolve to an Actor, revoke.

Tokens are 256-bit random strings; only their SHA-256 is stored, so a database leak does not
hand out sessions. ``last_used_at`` is written at most once a minute to keep reads read-only.
"""

from __future__ import annotations

import datetime as dt
import secrets

from app.accounts.models import AuthToken, RoleGrant, User
from app.clock import utcnow
from app.crypto import sha256_hex
from app.db import database
from app.errors import Unauthorized
from app.policy import Actor, Grant
from app.regions.models import Region

TOKEN_PREFIX = {"miniprogram": "lm_", "staff": "ls_"}
_TOUCH_EVERY = dt.timedelta(seconds=60)


def issue_token(user: User, kind: str, ttl_seconds: int) -> str:
    """Create a token for ``user``; returns the plaintext, which is never stored."""
    plaintext = TOKEN_PREFIX[kind] + secrets.token_urlsafe(32)
    now = utcnow()
    AuthToken.create(token_hash=sha256_hex(plaintext), user=user, kind=kind, created_at=now,
                     expires_at=now + dt.timedelta(seconds=ttl_seconds), last_used_at=now)
    return plaintext


def load_actor(user: User, token_kind: str = "miniprogram") -> Actor:
    """Build the Actor (user + live grants with their region paths) for ``user``."""
    rows = (RoleGrant.select(RoleGrant.id, RoleGrant.role, RoleGrant.region, Region.path)
            .join(Region, on=(RoleGrant.region == Region.id))
            .where((RoleGrant.user == user.id) & RoleGrant.revoked_at.is_null())
            .order_by(RoleGrant.id).tuples())
    grants = tuple(Grant(gid, role, region_id, path) for gid, role, region_id, path in rows)
    household_path = None
    if user.household_id is not None:
        household_path = (Region.select(Region.path)
                          .where(Region.id == user.household_id).scalar())
    return Actor(user_id=user.id, grants=grants, household_id=user.household_id,
                 household_path=household_path, is_volunteer=user.is_volunteer,
                 is_party_member=user.is_party_member, token_kind=token_kind)


def resolve_token(plaintext: str, *, idle_timeout_seconds: int | None = None) -> Actor:
    """The Actor behind a bearer token. Raises Unauthorized for unknown/expired/revoked ones."""
    if not plaintext or len(plaintext) > 200:
        raise Unauthorized("auth.invalid_token", "登录凭证无效，请重新登录")
    token = (AuthToken.select(AuthToken, User).join(User)
             .where(AuthToken.token_hash == sha256_hex(plaintext)).first())
    now = utcnow()
    if token is None or token.revoked_at is not None:
        raise Unauthorized("auth.invalid_token", "登录凭证无效，请重新登录")
    if token.expires_at <= now:
        raise Unauthorized("auth.token_expired", "登录已过期，请重新登录")
    if (token.kind == "staff" and idle_timeout_seconds
            and token.last_used_at + dt.timedelta(seconds=idle_timeout_seconds) <= now):
        raise Unauthorized("auth.session_idle", "长时间未操作，请重新登录")
    if token.user.status != "active":
        raise Unauthorized("auth.user_disabled", "该账号已停用")
    if now - token.last_used_at >= _TOUCH_EVERY:
        with database.atomic():
            AuthToken.update(last_used_at=now).where(AuthToken.id == token.id).execute()
    return load_actor(token.user, token.kind)


def revoke_token(plaintext: str) -> bool:
    """Revoke one token (logout). Returns whether a live token was revoked."""
    with database.atomic():
        count = (AuthToken.update(revoked_at=utcnow())
                 .where((AuthToken.token_hash == sha256_hex(plaintext))
                        & AuthToken.revoked_at.is_null())
                 .execute())
    return count > 0


def revoke_all_tokens(user_id: int) -> int:
    """Revoke every live token of a user (password change, disabled account)."""
    with database.atomic():
        return (AuthToken.update(revoked_at=utcnow())
                .where((AuthToken.user == user_id) & AuthToken.revoked_at.is_null())
                .execute())
