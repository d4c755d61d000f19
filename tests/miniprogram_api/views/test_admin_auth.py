"""Staff console login over HTTP (``/admin/api/v1``): tokens, lockout, TOTP, password, /me."""

from __future__ import annotations

import calendar
import datetime as dt

import pyotp

from app.accounts.models import User
from app.accounts.staff import create_staff_account
from app.audit.models import AuditEntry
from app.clock import frozen
from tests.factories import bearer, build_tree, grant, make_user

PASSWORD = "Linli-staff-2024"
T0 = dt.datetime(2025, 3, 3, 9, 0, 0)
BASE = "/admin/api/v1"


def make_staff(role: str = "cadre", username: str = "wang") -> User:
    user = create_staff_account(username=username, password=PASSWORD, display_name="王干部")
    grant(user, role, build_tree().village_a1)
    return user


def login(client, username="wang", password=PASSWORD, otp=None):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(f"{BASE}/auth/login", json=body)


def token_headers(client, **kwargs) -> dict:
    res = login(client, **kwargs)
    assert res.status_code == 200, res.get_json()
    return {"Authorization": f"Bearer {res.get_json()['data']['token']}"}


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(calendar.timegm(when.timetuple()))


def error_of(res) -> dict:
    return res.get_json()["error"]


def enable_totp(client) -> str:
    """Log in and enrol TOTP at T0 - 60s over HTTP; returns the secret."""
    with frozen(T0 - dt.timedelta(seconds=60)) as at:
        headers = token_headers(client)
        secret = client.post(f"{BASE}/auth/totp/setup", headers=headers).get_json()["data"][
            "secret"]
        res = client.post(f"{BASE}/auth/totp/confirm", headers=headers,
                          json={"otp": code_at(secret, at)})
        assert res.status_code == 200, res.get_json()
    return secret


def test_login_returns_a_staff_token_that_me_accepts(client, settings):
    user = make_staff()
    res = login(client)
    assert res.status_code == 200
    data = res.get_json()["data"]
    assert data["token"].startswith("ls_") and data["token_type"] == "Bearer"
    assert data["expires_in"] == settings.staff_token_ttl_seconds
    me = client.get(f"{BASE}/me", headers={"Authorization": f"Bearer {data['token']}"})
    profile = me.get_json()["data"]
    assert (profile["id"], profile["username"], profile["totp_enabled"]) == (user.id, "wang",
                                                                              False)
    assert [g["role"] for g in profile["grants"]] == ["cadre"]


def test_wrong_password_is_401_bad_credentials(client):
    make_staff()
    res = login(client, password="Not-the-password-1")
    assert res.status_code == 401
    assert error_of(res)["code"] == "auth.bad_credentials"


def test_unknown_username_gets_exactly_the_wrong_password_response(client):
    make_staff()
    wrong = login(client, password="Not-the-password-1")
    unknown = login(client, username="nobody")
    assert (unknown.status_code, unknown.get_json()) == (wrong.status_code, wrong.get_json())


def test_missing_password_is_a_422_with_field_errors(client):
    res = client.post(f"{BASE}/auth/login", json={"username": "wang"})
    assert res.status_code == 422
    assert "password" in error_of(res)["details"]["fields"]


def test_too_many_failures_lock_the_account_with_retry_after(client, settings):
    make_staff()
    with frozen(T0):
        for _ in range(settings.login_max_failures - 1):
            assert login(client, password="Not-the-password-1").status_code == 401
        res = login(client, password="Not-the-password-1")
    assert res.status_code == 429
    assert error_of(res)["code"] == "auth.locked"
    assert res.headers["Retry-After"] == str(settings.login_lockout_seconds)
    assert error_of(res)["details"]["retry_after"] == settings.login_lockout_seconds


def test_a_locked_account_refuses_the_right_password_until_the_lock_ends(client, settings):
    make_staff()
    with frozen(T0):
        for _ in range(settings.login_max_failures):
            login(client, password="Not-the-password-1")
    with frozen(T0 + dt.timedelta(seconds=settings.login_lockout_seconds - 10)):
        res = login(client)
        assert res.status_code == 429 and res.headers["Retry-After"] == "10"
    with frozen(T0 + dt.timedelta(seconds=settings.login_lockout_seconds)):
        assert login(client).status_code == 200


def test_the_second_lockout_lasts_twice_as_long(client, settings):
    make_staff()
    with frozen(T0):
        for _ in range(settings.login_max_failures):
            login(client, password="Not-the-password-1")
    with frozen(T0 + dt.timedelta(seconds=settings.login_lockout_seconds)):
        for _ in range(settings.login_max_failures):
            res = login(client, password="Not-the-password-1")
    assert res.headers["Retry-After"] == str(2 * settings.login_lockout_seconds)


def test_a_resident_only_user_is_403_not_staff(client):
    make_staff(role="resident")
    res = login(client)
    assert res.status_code == 403
    assert error_of(res)["code"] == "auth.not_staff"


def test_a_disabled_user_is_403_not_staff(client):
    user = make_staff()
    User.update(status="disabled").where(User.id == user.id).execute()
    res = login(client)
    assert res.status_code == 403
    assert error_of(res)["code"] == "auth.not_staff"


def test_totp_flow_requires_refuses_and_accepts_codes(client):
    make_staff()
    secret = enable_totp(client)
    with frozen(T0):
        missing = login(client)
        wrong = login(client, otp=f"{(int(code_at(secret, T0)) + 1) % 1_000_000:06d}")
        right = login(client, otp=code_at(secret, T0))
        replayed = login(client, otp=code_at(secret, T0))
    assert (missing.status_code, error_of(missing)["code"]) == (401, "auth.otp_required")
    assert (wrong.status_code, error_of(wrong)["code"]) == (401, "auth.bad_otp")
    assert right.status_code == 200
    assert (replayed.status_code, error_of(replayed)["code"]) == (401, "auth.bad_otp")


def test_totp_setup_shows_on_me_and_can_be_disabled(client):
    make_staff()
    secret = enable_totp(client)
    with frozen(T0):
        headers = token_headers(client, otp=code_at(secret, T0))
        assert client.get(f"{BASE}/me", headers=headers).get_json()["data"]["totp_enabled"]
    when = T0 + dt.timedelta(seconds=30)
    with frozen(when):
        res = client.post(f"{BASE}/auth/totp/disable", headers=headers,
                          json={"password": PASSWORD, "otp": code_at(secret, when)})
        assert res.status_code == 200
        assert login(client).status_code == 200


def test_confirming_with_a_wrong_code_is_422_bad_otp(client):
    make_staff()
    with frozen(T0):
        headers = token_headers(client)
        secret = client.post(f"{BASE}/auth/totp/setup", headers=headers).get_json()["data"][
            "secret"]
        res = client.post(f"{BASE}/auth/totp/confirm", headers=headers,
                          json={"otp": code_at(secret, T0 + dt.timedelta(seconds=600))})
    assert res.status_code == 422
    assert error_of(res)["code"] == "auth.bad_otp"


def test_password_change_revokes_the_session_and_the_new_password_logs_in(client):
    make_staff()
    headers = token_headers(client)
    res = client.post(f"{BASE}/auth/password", headers=headers,
                      json={"old_password": PASSWORD, "new_password": "New-password-2025"})
    assert res.status_code == 200
    me = client.get(f"{BASE}/me", headers=headers)
    assert (me.status_code, error_of(me)["code"]) == (401, "auth.invalid_token")
    assert login(client).status_code == 401
    assert login(client, password="New-password-2025").status_code == 200


def test_password_change_with_a_wrong_old_password_is_422(client):
    make_staff()
    res = client.post(f"{BASE}/auth/password", headers=token_headers(client),
                      json={"old_password": "Not-the-password-1",
                            "new_password": "New-password-2025"})
    assert res.status_code == 422
    assert error_of(res)["code"] == "auth.bad_password"


def test_logout_revokes_the_staff_token(client):
    make_staff()
    headers = token_headers(client)
    assert client.post(f"{BASE}/auth/logout", headers=headers).status_code == 200
    assert error_of(client.get(f"{BASE}/me", headers=headers))["code"] == "auth.invalid_token"


def test_an_idle_staff_session_is_401_session_idle(client, settings):
    make_staff()
    with frozen(T0):
        headers = token_headers(client)
    with frozen(T0 + dt.timedelta(seconds=settings.staff_idle_timeout_seconds)):
        res = client.get(f"{BASE}/me", headers=headers)
    assert res.status_code == 401
    assert error_of(res)["code"] == "auth.session_idle"


def test_a_used_staff_session_stays_alive(client, settings):
    make_staff()
    half = dt.timedelta(seconds=settings.staff_idle_timeout_seconds // 2 + 60)
    with frozen(T0):
        headers = token_headers(client)
    with frozen(T0 + half):
        assert client.get(f"{BASE}/me", headers=headers).status_code == 200
    with frozen(T0 + 2 * half):
        assert client.get(f"{BASE}/me", headers=headers).status_code == 200


def test_a_miniprogram_token_is_403_on_a_staff_endpoint(client):
    res = client.get(f"{BASE}/me", headers=bearer(make_user()))
    assert res.status_code == 403
    assert error_of(res)["code"] == "auth.staff_only"


def test_login_and_lockout_are_audited(client, settings):
    user = make_staff()
    login(client)
    for _ in range(settings.login_max_failures):
        login(client, password="Not-the-password-1")
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.actor_id == user.id)
               .order_by(AuditEntry.id)]
    assert actions == ["staff.login", "staff.locked"]


def test_me_works_for_a_staff_token_without_a_console_credential(client):
    user = make_user()
    res = client.get(f"{BASE}/me", headers=bearer(user, "staff"))
    assert res.status_code == 200
    assert res.get_json()["data"]["username"] is None
