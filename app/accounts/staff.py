"""Staff console accounts: creation, login with lockout and backoff, TOTP, password change.

Lockout: every ``max_failures`` consecutive failures (a wrong password or a wrong one-time code)
lock the account; the first lockout lasts ``lockout_seconds`` and each further one twice as long
as the one before, capped at a day. A successful login resets the count. A failure is committed
in its own transaction before its error is raised, so raising cannot roll the count back.

The TOTP step of the last accepted code is stored, so a code (or any earlier one) can be used
once only, even by two logins racing each other.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import NoReturn

import pyotp
from pyotp.utils import strings_equal

from app import crypto
from app.accounts import passwords
from app.accounts.models import RoleGrant, StaffCredential, User
from app.accounts.services import get_profile
from app.accounts.tokens import issue_token, load_actor, revoke_all_tokens
from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
)
from app.policy import STAFF_ROLES, Actor

TOTP_PURPOSE = "totp"
TOTP_ISSUER = "邻里 Linli"
TOTP_VALID_WINDOW = 1
MAX_LOCK_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StaffLoginResult:
    token: str
    user: User


def create_staff_account(*, username: str, password: str, display_name: str,
                         user: User | None = None) -> User:
    """Create a console login (and the user, unless ``user`` is given).

    Called by sysadmin services, the demo seeder and tests. Raises staff.username_taken.
    """
    with database.atomic():
        if StaffCredential.select().where(StaffCredential.username == username).exists():
            raise Conflict("staff.username_taken", "该用户名已被使用")
        if user is None:
            user = User.create(display_name=display_name)
        StaffCredential.create(user=user, username=username,
                               password_hash=passwords.hash_password(password))
    return user


def staff_login(username: str, password: str, otp: str | None = None, *, ttl_seconds: int,
                max_failures: int, lockout_seconds: int) -> StaffLoginResult:
    """Log a staff member into the console and issue a staff token.

    Anyone may call it. Raises auth.bad_credentials (401, unknown user and wrong password alike),
    auth.locked (429, ``details.retry_after``), auth.not_staff (403: disabled, or no live staff
    grant), auth.otp_required (401: right password, TOTP on, no code; not counted as a failure)
    and auth.bad_otp (401: wrong or already used code). Changes the failure count and lock,
    the last TOTP step, the password hash (rehash) and adds a token and audit entries.
    """
    cred = (StaffCredential.select(StaffCredential, User).join(User)
            .where(StaffCredential.username == username).first())
    if cred is None:
        passwords.verify_password(passwords.DUMMY_HASH, password)  # same cost as a real user
        raise _bad_credentials()
    now = utcnow()
    _refuse_if_locked(cred, now)
    limits = {"max_failures": max_failures, "lockout_seconds": lockout_seconds}
    if not passwords.verify_password(cred.password_hash, password):
        _fail(cred.id, _bad_credentials(), **limits)
    user = cred.user
    if user.status != "active" or not _holds_staff_role(user.id):
        raise Forbidden("auth.not_staff", "该账号不能登录管理后台（非工作人员或已停用）")
    step = None
    if cred.totp_secret_cipher:
        if not otp:
            raise Unauthorized("auth.otp_required", "请输入动态验证码")
        step = _match_step(_reveal(cred.totp_secret_cipher), otp, cred.totp_last_step, now)
        if step is None:
            _fail(cred.id, _bad_otp(Unauthorized), **limits)
    new_hash = passwords.rehash(password) if passwords.needs_rehash(cred.password_hash) else None

    with database.atomic():
        changes = {StaffCredential.failed_count: 0, StaffCredential.locked_until: None}
        # Conditional update: a parallel burst may have locked the account, or used this code,
        # since we read the row; then nothing is written and this login is refused.
        cond = (StaffCredential.id == cred.id) & _unlocked(now)
        if step is not None:
            changes[StaffCredential.totp_last_step] = step
            cond &= StaffCredential.totp_last_step < step
        if new_hash is not None:
            changes[StaffCredential.password_hash] = new_hash
        if StaffCredential.update(changes).where(cond).execute() == 0:
            _refuse_if_locked(StaffCredential.get_by_id(cred.id), now)
            raise _bad_otp(Unauthorized)
        token = issue_token(user, "staff", ttl_seconds)
        record(actor=load_actor(user, "staff"), grant=None, action="staff.login",
               object_type="user", object_id=user.id,
               summary={"totp": step is not None, "rehashed": new_hash is not None})
    return StaffLoginResult(token=token, user=user)


def get_staff_profile(actor: Actor) -> dict:
    """The logged-in staff member's profile and grants, plus username and TOTP state.

    Staff tokens only. Raises auth.staff_only. Changes nothing.
    """
    _require_staff_token(actor)
    cred = StaffCredential.get_or_none(StaffCredential.user == actor.user_id)
    profile = get_profile(actor)
    profile.update(username=cred.username if cred else None,
                   totp_enabled=bool(cred and cred.totp_secret_cipher))
    return profile


def begin_totp_setup(actor: Actor) -> dict:
    """Start enrolling an authenticator app: a new secret, kept pending until confirmed.

    Staff tokens only, for themselves. Raises auth.staff_only, staff.no_credential,
    auth.totp_already_enabled (409). Replaces any earlier pending secret.
    """
    cred = _own_credential(actor)
    if cred.totp_secret_cipher:
        raise Conflict("auth.totp_already_enabled", "已启用动态验证码，如需更换请先停用")
    secret = pyotp.random_base32()
    with database.atomic():
        (StaffCredential
         .update(totp_pending_cipher=crypto.encrypt(TOTP_PURPOSE, secret))
         .where(StaffCredential.id == cred.id).execute())
    uri = pyotp.TOTP(secret).provisioning_uri(name=cred.username, issuer_name=TOTP_ISSUER)
    return {"secret": secret, "otpauth_uri": uri}


def confirm_totp(actor: Actor, otp: str) -> None:
    """Turn TOTP on once the pending secret's current code is shown to work.

    Staff tokens only, for themselves. Raises auth.staff_only, staff.no_credential,
    auth.totp_not_pending (409), auth.bad_otp (422). Moves the pending secret to active and
    records the code's step (it cannot log in again) and an audit entry.
    """
    cred = _own_credential(actor)
    if not cred.totp_pending_cipher:
        raise Conflict("auth.totp_not_pending", "请先开始设置动态验证码")
    step = _match_step(_reveal(cred.totp_pending_cipher), otp, 0, utcnow())
    if step is None:
        raise _bad_otp(InvalidInput)
    with database.atomic():
        (StaffCredential
         .update(totp_secret_cipher=cred.totp_pending_cipher, totp_pending_cipher=None,
                 totp_last_step=step)
         .where(StaffCredential.id == cred.id).execute())
        record(actor=actor, grant=None, action="staff.totp_enabled", object_type="user",
               object_id=actor.user_id)


def disable_totp(actor: Actor, password: str, otp: str, *, max_failures: int,
                 lockout_seconds: int) -> None:
    """Turn TOTP off; needs the password and a current code.

    Staff tokens only, for themselves. Raises auth.staff_only, staff.no_credential,
    auth.totp_not_enabled (409), auth.locked (429), auth.bad_password / auth.bad_otp (422;
    both count as login failures). Clears the secrets and adds an audit entry.
    """
    cred = _own_credential(actor)
    if not cred.totp_secret_cipher:
        raise Conflict("auth.totp_not_enabled", "尚未启用动态验证码")
    now = utcnow()
    _refuse_if_locked(cred, now)
    limits = {"max_failures": max_failures, "lockout_seconds": lockout_seconds}
    if not passwords.verify_password(cred.password_hash, password):
        _fail(cred.id, _bad_password(), **limits)
    if _match_step(_reveal(cred.totp_secret_cipher), otp, cred.totp_last_step, now) is None:
        _fail(cred.id, _bad_otp(InvalidInput), **limits)
    with database.atomic():
        (StaffCredential
         .update(totp_secret_cipher=None, totp_pending_cipher=None, totp_last_step=0)
         .where(StaffCredential.id == cred.id).execute())
        record(actor=actor, grant=None, action="staff.totp_disabled", object_type="user",
               object_id=actor.user_id)


def change_password(actor: Actor, old_password: str, new_password: str, *, max_failures: int,
                    lockout_seconds: int) -> None:
    """Replace the caller's password and end every session (the caller logs in again).

    Staff tokens only, for themselves. Raises auth.staff_only, staff.no_credential,
    auth.locked (429), auth.bad_password (422, counts as a login failure), password.unchanged,
    password.too_short, password.too_simple (422). Changes the hash, revokes all the user's
    tokens (this one included) and adds an audit entry.
    """
    cred = _own_credential(actor)
    _refuse_if_locked(cred, utcnow())
    if not passwords.verify_password(cred.password_hash, old_password):
        _fail(cred.id, _bad_password(), max_failures=max_failures,
              lockout_seconds=lockout_seconds)
    if new_password == old_password:
        raise InvalidInput("password.unchanged", "新密码不能与当前密码相同")
    new_hash = passwords.hash_password(new_password)
    with database.atomic():
        (StaffCredential
         .update(password_hash=new_hash, password_changed_at=utcnow(), failed_count=0,
                 locked_until=None)
         .where(StaffCredential.id == cred.id).execute())
        revoked = revoke_all_tokens(actor.user_id)
        record(actor=actor, grant=None, action="staff.password_changed", object_type="user",
               object_id=actor.user_id, summary={"tokens_revoked": revoked})


# -- helpers ---------------------------------------------------------------------------------

def lock_seconds(lockout_number: int, base_seconds: int) -> int:
    """Length of the n-th lockout in a row: base, 2×base, 4×base … at most a day."""
    return min(base_seconds * 2 ** min(lockout_number - 1, 20), MAX_LOCK_SECONDS)


def _fail(cred_id: int, error: DomainError, *, max_failures: int,
          lockout_seconds: int) -> NoReturn:
    """Count one failure and commit it, lock the account when due, then raise."""
    now = utcnow()
    locked_for = None
    with database.atomic():
        # Increment in SQL so parallel failures are all counted.
        (StaffCredential.update(failed_count=StaffCredential.failed_count + 1)
         .where(StaffCredential.id == cred_id).execute())
        cred = StaffCredential.get_by_id(cred_id)
        if max_failures > 0 and cred.failed_count % max_failures == 0:
            lockouts = cred.failed_count // max_failures
            locked_for = lock_seconds(lockouts, lockout_seconds)
            (StaffCredential
             .update(locked_until=now + dt.timedelta(seconds=locked_for))
             .where(StaffCredential.id == cred_id).execute())
            record(actor=load_actor(User.get_by_id(cred.user_id), "staff"), grant=None,
                   action="staff.locked", object_type="user", object_id=cred.user_id,
                   summary={"failures": cred.failed_count, "lockout": lockouts,
                            "seconds": locked_for})
    if locked_for is not None:
        raise _locked(locked_for)
    raise error


def _refuse_if_locked(cred: StaffCredential, now: dt.datetime) -> None:
    if cred.locked_until is not None and cred.locked_until > now:
        raise _locked(math.ceil((cred.locked_until - now).total_seconds()))


def _unlocked(now: dt.datetime):
    return StaffCredential.locked_until.is_null() | (StaffCredential.locked_until <= now)


def _holds_staff_role(user_id: int) -> bool:
    return (RoleGrant.select()
            .where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null()
                   & RoleGrant.role.in_(sorted(STAFF_ROLES)))
            .exists())


def _require_staff_token(actor: Actor | None) -> None:
    if actor is None:
        raise Unauthorized()
    if actor.token_kind != "staff":
        raise Forbidden("auth.staff_only", "请使用工作人员账号登录管理后台")


def _own_credential(actor: Actor | None) -> StaffCredential:
    _require_staff_token(actor)
    cred = StaffCredential.get_or_none(StaffCredential.user == actor.user_id)
    if cred is None:
        raise NotFound("staff.no_credential", "该账号没有管理后台登录凭证")
    return cred


def _match_step(secret: str, otp: str | None, last_step: int, now: dt.datetime) -> int | None:
    """The time step ``otp`` belongs to (±1 step of clock drift), if later than ``last_step``."""
    if not otp:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now.replace(tzinfo=dt.UTC))  # a naive datetime would mean local
    for step in range(current - TOTP_VALID_WINDOW, current + TOTP_VALID_WINDOW + 1):
        if step > last_step and strings_equal(str(otp), totp.generate_otp(step)):
            return step
    return None


def _reveal(cipher: str) -> str:
    return crypto.decrypt(TOTP_PURPOSE, cipher)


def _bad_credentials() -> Unauthorized:
    return Unauthorized("auth.bad_credentials", "用户名或密码错误")


def _bad_password() -> InvalidInput:
    return InvalidInput("auth.bad_password", "当前密码不正确")


def _bad_otp(kind: type[DomainError]) -> DomainError:
    return kind("auth.bad_otp", "动态验证码不正确或已使用")


def _locked(retry_after: int) -> RateLimited:
    minutes = max(1, math.ceil(retry_after / 60))
    return RateLimited("auth.locked", f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试",
                       details={"retry_after": retry_after})
