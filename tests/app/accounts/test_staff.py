"""Staff console services: login, lockout and backoff, TOTP, password change, audit."""

from __future__ import annotations

import calendar
import datetime as dt

import pyotp
import pytest
from argon2 import PasswordHasher

from app import crypto
from app.accounts import passwords, staff
from app.accounts.models import AuthToken, RoleGrant, StaffCredential, User
from app.accounts.tokens import issue_token, load_actor, resolve_token
from app.audit.models import AuditEntry
from app.clock import frozen, utcnow
from app.errors import Conflict, Forbidden, InvalidInput, RateLimited, Unauthorized
from tests.factories import build_tree, grant

PASSWORD = "Linli-staff-2024"
LIMITS = {"max_failures": 3, "lockout_seconds": 60}
T0 = dt.datetime(2025, 3, 3, 9, 0, 0)


def make_staff(role: str = "cadre", username: str = "wang") -> User:
    user = staff.create_staff_account(username=username, password=PASSWORD,
                                      display_name="王干部")
    grant(user, role, build_tree().village_a1)
    return user


def login(username: str = "wang", password: str = PASSWORD, otp: str | None = None):
    return staff.staff_login(username, password, otp, ttl_seconds=3600, **LIMITS)


def credential(user: User) -> StaffCredential:
    return StaffCredential.get(StaffCredential.user == user.id)


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(calendar.timegm(when.timetuple()))


def enable_totp(user: User) -> str:
    """Enrol TOTP at T0 - 60s, so codes of T0 and later are fresh."""
    actor = load_actor(user, "staff")
    with frozen(T0 - dt.timedelta(seconds=60)) as at:
        secret = staff.begin_totp_setup(actor)["secret"]
        staff.confirm_totp(actor, code_at(secret, at))
    return secret


def fail_times(n: int, username: str = "wang") -> Exception:
    error = None
    for _ in range(n):
        with pytest.raises((Unauthorized, RateLimited)) as caught:
            login(username, "Wrong-password-1")
        error = caught.value
    return error


# -- password login ----------------------------------------------------------------------------

def test_right_password_returns_a_staff_token_for_the_user():
    user = make_staff()
    result = login()
    assert result.user.id == user.id
    assert result.token.startswith("ls_")
    assert resolve_token(result.token).token_kind == "staff"


def test_wrong_password_is_bad_credentials():
    make_staff()
    with pytest.raises(Unauthorized) as caught:
        login(password="Not-the-password-1")
    assert caught.value.code == "auth.bad_credentials"


def test_unknown_username_gets_the_same_error_as_a_wrong_password():
    make_staff()
    with pytest.raises(Unauthorized) as wrong:
        login(password="Not-the-password-1")
    with pytest.raises(Unauthorized) as unknown:
        login(username="nobody")
    assert (unknown.value.code, unknown.value.message, unknown.value.details) == (
        wrong.value.code, wrong.value.message, wrong.value.details)


def test_unknown_username_still_verifies_a_hash(monkeypatch):
    checked = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password",
                        lambda h, p: checked.append(h) or real(h, p))
    with pytest.raises(Unauthorized):
        login(username="nobody")
    assert checked == [passwords.DUMMY_HASH]


def test_failures_below_the_limit_are_counted_and_committed():
    user = make_staff()
    fail_times(2)
    assert credential(user).failed_count == 2
    assert credential(user).locked_until is None


def test_the_last_allowed_failure_locks_the_account():
    user = make_staff()
    with frozen(T0):
        error = fail_times(3)
    assert isinstance(error, RateLimited)
    assert error.code == "auth.locked" and error.details == {"retry_after": 60}
    assert credential(user).locked_until == T0 + dt.timedelta(seconds=60)


def test_a_locked_account_refuses_the_right_password_with_the_time_left():
    make_staff()
    with frozen(T0):
        fail_times(3)
    with frozen(T0 + dt.timedelta(seconds=45)), pytest.raises(RateLimited) as caught:
        login()
    assert caught.value.details == {"retry_after": 15}


def test_the_lock_lifts_once_its_time_has_passed():
    make_staff()
    with frozen(T0):
        fail_times(3)
    with frozen(T0 + dt.timedelta(seconds=60)):
        assert login().token


def test_each_further_lockout_lasts_twice_as_long():
    user = make_staff()
    with frozen(T0):
        first = fail_times(3)
    with frozen(T0 + dt.timedelta(seconds=61)):
        second = fail_times(3)
    with frozen(T0 + dt.timedelta(seconds=200)):
        third = fail_times(3)
    assert [e.details["retry_after"] for e in (first, second, third)] == [60, 120, 240]
    assert credential(user).failed_count == 9


def test_lockouts_are_capped_at_one_day():
    assert staff.lock_seconds(1, 900) == 900
    assert staff.lock_seconds(3, 900) == 3600
    assert staff.lock_seconds(40, 900) == 24 * 3600


def test_a_successful_login_resets_the_failure_count():
    user = make_staff()
    fail_times(2)
    login()
    assert credential(user).failed_count == 0
    fail_times(2)
    assert credential(user).locked_until is None


def test_an_outdated_hash_is_replaced_on_login():
    user = make_staff()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    StaffCredential.update(password_hash=weak).where(StaffCredential.user == user.id).execute()
    login()
    stored = credential(user).password_hash
    assert stored != weak and not passwords.needs_rehash(stored)
    assert passwords.verify_password(stored, PASSWORD)


# -- who may log in ----------------------------------------------------------------------------

def test_a_resident_only_user_cannot_log_in():
    make_staff(role="resident")
    with pytest.raises(Forbidden) as caught:
        login()
    assert caught.value.code == "auth.not_staff"


def test_a_revoked_staff_grant_does_not_let_a_user_log_in():
    user = make_staff()
    RoleGrant.update(revoked_at=utcnow()).where(RoleGrant.user == user.id).execute()
    with pytest.raises(Forbidden) as caught:
        login()
    assert caught.value.code == "auth.not_staff"


def test_a_disabled_user_cannot_log_in():
    user = make_staff()
    User.update(status="disabled").where(User.id == user.id).execute()
    with pytest.raises(Forbidden) as caught:
        login()
    assert caught.value.code == "auth.not_staff"


def test_a_non_staff_user_with_a_wrong_password_only_learns_bad_credentials():
    make_staff(role="resident")
    with pytest.raises(Unauthorized) as caught:
        login(password="Not-the-password-1")
    assert caught.value.code == "auth.bad_credentials"


# -- TOTP at login -----------------------------------------------------------------------------

def test_totp_enabled_without_a_code_asks_for_one_and_counts_no_failure():
    user = make_staff()
    enable_totp(user)
    with frozen(T0), pytest.raises(Unauthorized) as caught:
        login()
    assert caught.value.code == "auth.otp_required"
    assert credential(user).failed_count == 0


def test_totp_enabled_with_a_wrong_password_is_bad_credentials_not_otp_required():
    user = make_staff()
    enable_totp(user)
    with frozen(T0), pytest.raises(Unauthorized) as caught:
        login(password="Not-the-password-1")
    assert caught.value.code == "auth.bad_credentials"
    assert credential(user).failed_count == 1


def test_a_wrong_code_is_bad_otp_and_counts_as_a_failure():
    user = make_staff()
    secret = enable_totp(user)
    wrong = f"{(int(code_at(secret, T0)) + 1) % 1_000_000:06d}"
    with frozen(T0), pytest.raises(Unauthorized) as caught:
        login(otp=wrong)
    assert caught.value.code == "auth.bad_otp"
    assert credential(user).failed_count == 1


def test_a_correct_code_logs_in_and_records_its_step():
    user = make_staff()
    secret = enable_totp(user)
    with frozen(T0):
        assert login(otp=code_at(secret, T0)).token
    assert credential(user).totp_last_step == calendar.timegm(T0.timetuple()) // 30


def test_a_code_of_the_previous_step_is_accepted_for_clock_drift():
    user = make_staff()
    secret = enable_totp(user)
    with frozen(T0):
        assert login(otp=code_at(secret, T0 - dt.timedelta(seconds=30))).token


def test_a_code_two_steps_old_is_refused():
    user = make_staff()
    secret = enable_totp(user)
    with frozen(T0 + dt.timedelta(seconds=60)), pytest.raises(Unauthorized) as caught:
        login(otp=code_at(secret, T0))
    assert caught.value.code == "auth.bad_otp"


def test_a_used_code_cannot_be_replayed():
    user = make_staff()
    secret = enable_totp(user)
    code = code_at(secret, T0)
    with frozen(T0):
        login(otp=code)
    with frozen(T0 + dt.timedelta(seconds=5)), pytest.raises(Unauthorized) as caught:
        login(otp=code)
    assert caught.value.code == "auth.bad_otp"
    with frozen(T0 + dt.timedelta(seconds=30)):
        assert login(otp=code_at(secret, T0 + dt.timedelta(seconds=30))).token


def test_the_code_used_to_confirm_setup_cannot_log_in():
    user = make_staff()
    actor = load_actor(user, "staff")
    with frozen(T0):
        secret = staff.begin_totp_setup(actor)["secret"]
        staff.confirm_totp(actor, code_at(secret, T0))
        with pytest.raises(Unauthorized) as caught:
            login(otp=code_at(secret, T0))
    assert caught.value.code == "auth.bad_otp"


# -- TOTP management ---------------------------------------------------------------------------

def test_setup_returns_a_secret_and_uri_and_stores_it_encrypted_as_pending():
    user = make_staff()
    setup = staff.begin_totp_setup(load_actor(user, "staff"))
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    assert "issuer=%E9%82%BB%E9%87%8C%20Linli" in setup["otpauth_uri"]
    cred = credential(user)
    assert cred.totp_secret_cipher is None
    assert setup["secret"] not in cred.totp_pending_cipher
    assert crypto.decrypt("totp", cred.totp_pending_cipher) == setup["secret"]


def test_confirm_with_a_wrong_code_is_422_and_leaves_totp_off():
    user = make_staff()
    actor = load_actor(user, "staff")
    with frozen(T0):
        secret = staff.begin_totp_setup(actor)["secret"]
        with pytest.raises(InvalidInput) as caught:
            staff.confirm_totp(actor, code_at(secret, T0 + dt.timedelta(seconds=300)))
    assert caught.value.code == "auth.bad_otp"
    assert credential(user).totp_secret_cipher is None


def test_confirm_without_a_pending_setup_is_a_conflict():
    user = make_staff()
    with pytest.raises(Conflict) as caught:
        staff.confirm_totp(load_actor(user, "staff"), "123456")
    assert caught.value.code == "auth.totp_not_pending"


def test_setup_is_refused_while_totp_is_on():
    user = make_staff()
    enable_totp(user)
    with pytest.raises(Conflict) as caught:
        staff.begin_totp_setup(load_actor(user, "staff"))
    assert caught.value.code == "auth.totp_already_enabled"


def test_totp_management_needs_a_staff_token():
    user = make_staff()
    with pytest.raises(Forbidden) as caught:
        staff.begin_totp_setup(load_actor(user, "miniprogram"))
    assert caught.value.code == "auth.staff_only"


def test_disable_with_password_and_code_turns_totp_off():
    user = make_staff()
    secret = enable_totp(user)
    with frozen(T0):
        staff.disable_totp(load_actor(user, "staff"), PASSWORD, code_at(secret, T0), **LIMITS)
    assert credential(user).totp_secret_cipher is None
    assert login().token


def test_disable_with_a_wrong_password_is_refused_and_counted():
    user = make_staff()
    secret = enable_totp(user)
    with frozen(T0), pytest.raises(InvalidInput) as caught:
        staff.disable_totp(load_actor(user, "staff"), "Not-the-password-1",
                           code_at(secret, T0), **LIMITS)
    assert caught.value.code == "auth.bad_password"
    assert credential(user).failed_count == 1
    assert credential(user).totp_secret_cipher is not None


# -- password change ---------------------------------------------------------------------------

def test_password_change_revokes_every_token_and_the_new_password_works():
    user = make_staff()
    tokens = [login().token, issue_token(user, "miniprogram", 3600)]
    staff.change_password(load_actor(user, "staff"), PASSWORD, "New-password-2025", **LIMITS)
    assert AuthToken.select().where(AuthToken.revoked_at.is_null()).count() == 0
    for token in tokens:
        with pytest.raises(Unauthorized):
            resolve_token(token)
    with pytest.raises(Unauthorized):
        login()
    assert login(password="New-password-2025").token


def test_password_change_with_a_wrong_old_password_is_refused_and_counted():
    user = make_staff()
    with pytest.raises(InvalidInput) as caught:
        staff.change_password(load_actor(user, "staff"), "Not-the-password-1",
                              "New-password-2025", **LIMITS)
    assert caught.value.code == "auth.bad_password"
    assert credential(user).failed_count == 1


def test_password_change_checks_the_new_password_strength():
    user = make_staff()
    with pytest.raises(InvalidInput) as caught:
        staff.change_password(load_actor(user, "staff"), PASSWORD, "short1", **LIMITS)
    assert caught.value.code == "password.too_short"


# -- audit -------------------------------------------------------------------------------------

def test_a_login_is_audited_without_personal_data():
    user = make_staff()
    login()
    entry = AuditEntry.get(AuditEntry.action == "staff.login")
    assert (entry.actor_id, entry.actor_role, entry.object_id) == (user.id, "self", str(user.id))
    assert "wang" not in entry.summary and PASSWORD not in entry.summary


def test_a_lockout_is_audited():
    user = make_staff()
    fail_times(3)
    entry = AuditEntry.get(AuditEntry.action == "staff.locked")
    assert entry.actor_id == user.id and '"seconds": 60' in entry.summary


def test_a_password_change_is_audited():
    user = make_staff()
    staff.change_password(load_actor(user, "staff"), PASSWORD, "New-password-2025", **LIMITS)
    assert AuditEntry.get(AuditEntry.action == "staff.password_changed").actor_id == user.id
