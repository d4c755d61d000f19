"""Console login, CSRF, idle timeout, logout, the grant switcher and large-font mode."""

from __future__ import annotations

import datetime as dt

from app.accounts.models import AuthToken
from app.clock import frozen, utcnow
from tests.miniprogram_api.console.helpers import PASSWORD, console_login, csrf_of


def test_a_wrong_password_shows_the_form_again_with_a_chinese_message(client, staff_town):
    res = console_login(client, "grid", "wrong-password")
    assert res.status_code == 401
    assert "用户名或密码错误" in res.text
    assert 'value="grid"' in res.text  # the username is kept, the password is not


def test_the_right_password_opens_the_home_page_with_a_console_session(client, staff_town):
    res = console_login(client, "grid")
    assert res.status_code == 302 and res.headers["Location"].endswith("/console/")
    cookie = res.headers["Set-Cookie"]
    assert cookie.startswith("linli_console=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    assert "Secure" in cookie  # the test settings are not "development"
    home = client.get("/console/")
    assert home.status_code == 200 and "我的工作" in home.text


def test_login_goes_back_to_the_page_that_asked_for_it_but_never_off_site(client, staff_town):
    res = client.get("/console/requests?queue=to_accept")
    assert res.status_code == 302 and "/console/login?next=" in res.headers["Location"]
    page = client.get("/console/login")
    res = client.post("/console/login", data={
        "username": "grid", "password": PASSWORD, "csrf_token": csrf_of(page.text),
        "next": "https://evil.example/"})
    assert res.headers["Location"].endswith("/console/")


def test_a_post_without_the_csrf_token_is_refused(client, staff_town):
    client.get("/console/login")
    res = client.post("/console/login", data={"username": "grid", "password": PASSWORD})
    assert res.status_code == 400
    assert "页面已过期" in res.text
    assert AuthToken.select().count() == 0


def test_a_csrf_token_from_before_login_is_worthless_after_it(client, staff_town):
    before = csrf_of(client.get("/console/login").text)
    client.post("/console/login", data={"username": "grid", "password": PASSWORD,
                                        "csrf_token": before})
    res = client.post("/console/logout", data={"csrf_token": before})
    assert res.status_code == 400


def test_an_idle_session_ends_and_asks_to_log_in_again(client, staff_town, settings):
    console_login(client, "grid")
    later = utcnow() + dt.timedelta(seconds=settings.staff_idle_timeout_seconds + 60)
    with frozen(later):
        res = client.get("/console/")
        assert res.status_code == 302 and "/console/login" in res.headers["Location"]
        login = client.get(res.headers["Location"])
    assert "长时间未操作，请重新登录" in login.text


def test_logout_revokes_the_token(client, staff_town):
    console_login(client, "grid")
    home = client.get("/console/")
    res = client.post("/console/logout", data={"csrf_token": csrf_of(home.text)})
    assert res.status_code == 302
    assert AuthToken.get().revoked_at is not None
    assert client.get("/console/").status_code == 302


def test_a_person_with_two_grants_can_act_with_one_of_them(client, staff_town):
    from app.accounts.models import RoleGrant
    from tests.factories import grant

    grant(staff_town.grid_worker, "cadre", staff_town.tree.village_a2)
    as_grid_worker = RoleGrant.get((RoleGrant.user == staff_town.grid_worker.id)
                                   & (RoleGrant.role == "grid_worker"))
    console_login(client, "grid")
    home = client.get("/console/")
    assert "当前角色" in home.text and "待审批的延期" in home.text  # cadre's queue, all grants
    res = client.post("/console/grant", data={"csrf_token": csrf_of(home.text),
                                              "grant_id": str(as_grid_worker.id)})
    assert res.status_code == 302
    narrowed = client.get("/console/")
    assert "待审批的延期" not in narrowed.text  # only the grid worker's grant now


def test_choosing_a_grant_one_does_not_hold_gives_the_403_page(client, staff_town):
    from tests.factories import grant

    others = grant(staff_town.cadre, "cadre", staff_town.tree.village_a2)
    console_login(client, "grid")
    home = client.get("/console/")
    res = client.post("/console/grant", data={"csrf_token": csrf_of(home.text),
                                              "grant_id": str(others.id)})
    assert res.status_code == 403 and "没有权限" in res.text


def test_large_font_mode_is_a_cookie_every_page_reads(client, staff_town):
    page = client.get("/console/login")
    assert 'class="large-font"' not in page.text
    res = client.post("/console/large-font", data={"csrf_token": csrf_of(page.text),
                                                   "next": "/console/login"})
    assert res.status_code == 302 and res.headers["Location"].endswith("/console/login")
    assert 'class="large-font"' in client.get("/console/login").text


def test_with_totp_on_the_form_asks_for_the_code_then_accepts_it(client, staff_town):
    import calendar

    import pyotp

    from app.accounts import staff

    now = utcnow()
    with frozen(now - dt.timedelta(seconds=90)) as before:
        me = staff_town.actor(staff_town.grid_worker)
        secret = staff.begin_totp_setup(me)["secret"]
        staff.confirm_totp(me, pyotp.TOTP(secret).at(calendar.timegm(before.timetuple())))
    with frozen(now):
        res = console_login(client, "grid")
        assert res.status_code == 401 and "请输入动态验证码" in res.text
        assert 'name="otp" inputmode="numeric"' in res.text and "required" in res.text
        code = pyotp.TOTP(secret).at(calendar.timegm(now.timetuple()))
        res = client.post("/console/login", data={
            "username": "grid", "password": PASSWORD, "otp": code,
            "csrf_token": csrf_of(res.text)})
    assert res.status_code == 302 and res.headers["Location"].endswith("/console/")
