"""Opaque bearer tokens: issue, resolve to an Actor, revoke.

Tokens are 256-bit random strings; only their SHA-256 is stored, so a database leak does not
hand out sessions. ``last_used_at`` is written at most once a minute to keep reads read-only.
"""

from __future__ import annotations

import datetime as dt
import secrets

from app.accounts.models import AuthToken, User
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


# The two queries below run on every authenticated request. They are written once as SQL
# (peewee would rebuild the same statement from its expression tree each time, which cost more
# than the database round trip) and parameterised with the engine's placeholder.
_TOKEN_SQL = (
    'SELECT t.id, t.kind, t.expires_at, t.last_used_at, t.revoked_at, u.id, u.status, '
    'u.household_id, u.is_volunteer, u.is_party_member, h.path '
    'FROM auth_token t JOIN "user" u ON u.id = t.user_id '
    'LEFT JOIN region h ON h.id = u.household_id WHERE t.token_hash = {p}')
_GRANTS_SQL = (
    "SELECT g.id, g.role, g.region_id, r.path FROM role_grant g "
    "JOIN region r ON r.id = g.region_id "
    "WHERE g.user_id = {p} AND g.revoked_at IS NULL ORDER BY g.id")


def _sql(template: str) -> str:
    return template.format(p=database.param)


def _as_datetime(value) -> dt.datetime | None:
    """Raw SQLite rows hold text timestamps; PostgreSQL returns datetimes."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def _grants(user_id: int) -> tuple[Grant, ...]:
    rows = database.execute_sql(_sql(_GRANTS_SQL), (user_id,)).fetchall()
    return tuple(Grant(gid, role, region_id, path) for gid, role, region_id, path in rows)


def load_actor(user: User, token_kind: str = "miniprogram") -> Actor:
    """Build the Actor (user + live grants with their region paths) for ``user``."""
    household_path = None
    if user.household_id is not None:
        household_path = (Region.select(Region.path)
                          .where(Region.id == user.household_id).scalar())
    return Actor(user_id=user.id, grants=_grants(user.id), household_id=user.household_id,
                 household_path=household_path, is_volunteer=bool(user.is_volunteer),
                 is_party_member=bool(user.is_party_member), token_kind=token_kind)


def resolve_token(plaintext: str, *, idle_timeout_seconds: int | None = None) -> Actor:
    """The Actor behind a bearer token. Raises Unauthorized for unknown/expired/revoked ones."""
    if not plaintext or len(plaintext) > 200:
        raise Unauthorized("auth.invalid_token", "登录凭证无效，请重新登录")
    row = database.execute_sql(_sql(_TOKEN_SQL), (sha256_hex(plaintext),)).fetchone()
    if row is None or row[4] is not None:
        raise Unauthorized("auth.invalid_token", "登录凭证无效，请重新登录")
    (token_id, kind, expires_at, last_used_at, _revoked, user_id, status, household_id,
     is_volunteer, is_party_member, household_path) = row
    expires_at, last_used_at = _as_datetime(expires_at), _as_datetime(last_used_at)
    now = utcnow()
    if expires_at <= now:
        raise Unauthorized("auth.token_expired", "登录已过期，请重新登录")
    if (kind == "staff" and idle_timeout_seconds
            and last_used_at + dt.timedelta(seconds=idle_timeout_seconds) <= now):
        raise Unauthorized("auth.session_idle", "长时间未操作，请重新登录")
    if status != "active":
        raise Unauthorized("auth.user_disabled", "该账号已停用")
    if now - last_used_at >= _TOUCH_EVERY:
        with database.atomic():
            AuthToken.update(last_used_at=now).where(AuthToken.id == token_id).execute()
    return Actor(user_id=user_id, grants=_grants(user_id), household_id=household_id,
                 household_path=household_path, is_volunteer=bool(is_volunteer),
                 is_party_member=bool(is_party_member), token_kind=kind)


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
