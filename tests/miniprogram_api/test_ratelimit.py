"""Rate limits on staff login, request submission and receipt checks: a 429 envelope with
``rate.limited``, a Chinese message and ``Retry-After``; other callers keep their own budget."""

from __future__ import annotations

import pytest

from app.reports import throttle
from app.requests import setup as request_setup
from tests.app.reports.world import (
    BODY,
    build_world,
    light_kdf,  # noqa: F401
)
from tests.factories import bearer, build_tree, grant, make_user

SMALL = "2 per minute"
LOGIN = "/admin/api/v1/auth/login"
OTHER_CLIENT = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def limited(app):
    """Rate limits on, at two calls a minute each, with empty counters."""
    settings = app.config["LINLI_SETTINGS"]
    limiter = app.extensions["linli_limiter"]
    app.config["LINLI_SETTINGS"] = settings.with_overrides(
        rate_limits_enabled=True, rate_limit_staff_login=SMALL,
        rate_limit_request_submit=SMALL, rate_limit_receipt_check=SMALL)
    limiter.reset()
    throttle.forget_submissions()
    yield limiter
    limiter.reset()
    app.config["LINLI_SETTINGS"] = settings


def assert_limited(res):
    assert res.status_code == 429
    error = res.get_json()["error"]
    assert error["code"] == "rate.limited"
    assert error["message"] == "操作太频繁，请稍后再试"
    retry = int(res.headers["Retry-After"])
    assert 1 <= retry <= 60 and error["details"]["retry_after"] == retry


def login(client, **environ):
    return client.post(LOGIN, json={"username": "nobody", "password": "Not-a-password-1"},
                       environ_base=environ)


def test_staff_login_is_limited_per_client_address(client, limited):
    assert login(client).status_code == 401
    assert login(client).status_code == 401
    assert_limited(login(client))
    assert login(client, **OTHER_CLIENT).status_code == 401


def test_limits_are_off_when_the_setting_says_so(client, app):
    assert not app.config["LINLI_SETTINGS"].rate_limits_enabled  # the test environment
    for _ in range(5):
        assert login(client).status_code == 401


def submit(client, user):
    return client.post("/api/v1/requests", headers=bearer(user), json={
        "type": "help", "category_code": "environment", "text": "楼道里的灯坏了一个星期"})


def test_request_submission_is_limited_per_resident(client, limited, fake_wechat):
    tree = build_tree()
    request_setup.ensure_default_categories()
    first, second = (make_user(household=tree.household_a1) for _ in range(2))
    for user in (first, second):
        grant(user, "resident", tree.household_a1)
    assert submit(client, first).status_code == 201
    assert submit(client, first).status_code == 201
    assert_limited(submit(client, first))
    assert submit(client, second).status_code == 201


def test_receipt_checks_share_one_budget_across_receipt_routes(client, limited, light_kdf):  # noqa: F811
    world = build_world()
    report = client.post("/api/v1/reports/anonymous", json={
        "village_id": world.tree.village_a1.id, "text": BODY,
        "accused_user_id": world.accused.id}).get_json()["data"]
    receipt = report["receipt"]
    assert client.post("/api/v1/reports/status", json={"receipt": receipt}).status_code == 200
    assert client.post("/api/v1/reports/messages",
                       json={"receipt": receipt, "text": "补充一点情况"}).status_code == 201
    res = client.post("/api/v1/reports/status", json={"receipt": receipt})
    assert_limited(res)
    assert res.headers["Cache-Control"] == "no-store"  # the report guards still apply
    other = client.post("/api/v1/reports/status", json={"receipt": receipt},
                        environ_base=OTHER_CLIENT)
    assert other.status_code == 200


def test_the_console_login_form_shares_the_staff_login_budget_and_answers_a_chinese_page(
        client, limited):
    from tests.miniprogram_api.console.helpers import csrf_of

    def console_post():
        token = csrf_of(client.get("/console/login").text)  # GETs of the form do not count
        return client.post("/console/login", data={
            "username": "nobody", "password": "Not-a-password-1", "csrf_token": token})

    assert login(client).status_code == 401  # the API login spends one of the two
    wrong = console_post()  # the form again, with its error
    assert wrong.status_code == 401 and wrong.mimetype == "text/html"
    res = console_post()
    assert res.status_code == 429
    assert res.mimetype == "text/html" and "操作太频繁，请稍后再试" in res.text
    assert 1 <= int(res.headers["Retry-After"]) <= 60
    assert_limited(login(client))  # and the API login is out of budget too
