"""Mini-program login against the fake WeChat (over HTTP via ``responses``), tokens, /me."""

from __future__ import annotations

import datetime as dt
import logging

from app.accounts.models import AuthToken, User
from app.clock import utcnow
from miniprogram_api.wechat import fake as fake_module
from tests.factories import bearer, build_tree, make_user


def login(client, code):
    return client.post("/api/v1/auth/wx-login", json={"code": code})


def test_valid_code_returns_a_token_that_me_accepts(client, fake_wechat):
    res = login(client, fake_wechat.issue_login_code("oResident1"))
    assert res.status_code == 200
    body = res.get_json()
    assert body["ok"] is True and body["data"]["new_user"] is True
    token = body["data"]["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["data"]["id"] == User.get(User.openid == "oResident1").id


def test_second_login_finds_the_same_user(client, fake_wechat):
    login(client, fake_wechat.issue_login_code("oSame"))
    res = login(client, fake_wechat.issue_login_code("oSame"))
    assert res.get_json()["data"]["new_user"] is False
    assert User.select().where(User.openid == "oSame").count() == 1


def test_login_uses_one_http_call_and_no_access_token(client, fake_wechat):
    login(client, fake_wechat.issue_login_code("oOneCall"))
    assert fake_wechat.calls == [("GET", "sns/jscode2session")]
    assert fake_wechat.token_fetches == 0


def test_unionid_is_recorded_when_wechat_returns_it(client, fake_wechat):
    login(client, fake_wechat.issue_login_code("oUnion", unionid="uUnion"))
    assert User.get(User.openid == "oUnion").unionid == "uUnion"


def test_invalid_code_maps_to_auth_invalid_code(client, fake_wechat):
    res = login(client, "not-a-real-code")
    assert res.status_code == 401
    err = res.get_json()["error"]
    assert err["code"] == "auth.invalid_code"
    assert err["details"]["wechat_errcode"] == 40029


def test_expired_code_is_rejected(client, fake_wechat):
    code = fake_wechat.issue_login_code("oLate")
    fake_wechat.login_codes[code]["at"] -= 301
    res = login(client, code)
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.invalid_code"


def test_replayed_code_is_rejected(client, fake_wechat):
    code = fake_wechat.issue_login_code("oReplay")
    assert login(client, code).status_code == 200
    res = login(client, code)
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.code_used"


def test_test_codes_are_refused_when_the_fake_disallows_them(client, fake_wechat):
    res = login(client, "test:someone")
    assert res.get_json()["error"]["code"] == "auth.invalid_code"


def test_rate_limited_login_is_429_and_retryable(client, fake_wechat):
    fake_wechat.inject_error("sns/jscode2session", 45011)
    res = login(client, fake_wechat.issue_login_code("oBusy"))
    assert res.status_code == 429
    assert res.get_json()["error"]["details"]["retryable"] is True


def test_blocked_user_is_refused(client, fake_wechat):
    fake_wechat.blocked.add("oBlocked")
    res = login(client, fake_wechat.issue_login_code("oBlocked"))
    assert res.status_code == 403
    assert res.get_json()["error"]["code"] == "auth.user_blocked"


def test_wechat_busy_is_503_retryable(client, fake_wechat):
    fake_wechat.inject_error("sns/jscode2session", -1)
    res = login(client, fake_wechat.issue_login_code("oSys"))
    assert res.status_code == 503
    assert res.get_json()["error"] == {
        "code": "wechat.busy", "message": "微信服务繁忙，请稍后再试",
        "details": {"wechat_errcode": -1, "retryable": True}}


def test_missing_code_is_a_422_with_field_errors(client, fake_wechat):
    res = client.post("/api/v1/auth/wx-login", json={})
    assert res.status_code == 422
    assert "code" in res.get_json()["error"]["details"]["fields"]


def test_session_key_never_in_response_or_logs(client, fake_wechat, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    seen_keys = []
    original = fake_module.FakeWeChat._jscode2session

    def spy(self, query, payload):
        result = original(self, query, payload)
        seen_keys.append(result.get("session_key"))
        return result

    monkeypatch.setitem(fake_module._ROUTES, "sns/jscode2session", spy)
    res = login(client, fake_wechat.issue_login_code("oSecret"))
    assert res.status_code == 200
    assert seen_keys and seen_keys[0]
    body = res.get_data(as_text=True)
    assert seen_keys[0] not in body and "session_key" not in body
    assert caplog.records, "debug logging was captured"
    for record in caplog.records:
        assert seen_keys[0] not in record.getMessage()
        assert "session_key" not in record.getMessage()


def test_me_without_token_is_401(client):
    res = client.get("/api/v1/me")
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.required"


def test_garbage_token_is_401(client):
    res = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert res.get_json()["error"]["code"] == "auth.invalid_token"


def test_logout_revokes_the_token(client, fake_wechat):
    token = login(client, fake_wechat.issue_login_code("oBye")).get_json()["data"]["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    res = client.get("/api/v1/me", headers=headers)
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.invalid_token"


def test_expired_token_is_refused(client):
    user = make_user()
    headers = bearer(user)
    AuthToken.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    res = client.get("/api/v1/me", headers=headers)
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.token_expired"


def test_tokens_are_stored_only_as_hashes(client, fake_wechat):
    token = login(client, fake_wechat.issue_login_code("oHash")).get_json()["data"]["token"]
    stored = AuthToken.get()
    assert stored.token_hash != token and token not in stored.token_hash


def test_me_shows_household_address_and_own_full_phone(client, fake_wechat):
    tree = build_tree()
    user = make_user(household=tree.household_a1)
    headers = bearer(user)
    res = client.post("/api/v1/auth/phone", headers=headers,
                      json={"code": fake_wechat.issue_phone_code("13812341234")})
    assert res.get_json()["data"] == {"phone_masked": "138****1234"}
    data = client.get("/api/v1/me", headers=headers).get_json()["data"]
    assert data["phone"] == "13812341234"
    assert data["phone_masked"] == "138****1234"
    assert data["household"]["address"] == "丰泽区 东海街道 东星社区 第一网格 1号楼 101室"
    stored = User.get_by_id(user.id)
    assert "13812341234" not in (stored.phone_cipher or "") + (stored.phone_hash or "")


def test_phone_taken_by_another_account_is_409(client, fake_wechat):
    first, second = make_user(), make_user()
    client.post("/api/v1/auth/phone", headers=bearer(first),
                json={"code": fake_wechat.issue_phone_code("13900001111")})
    res = client.post("/api/v1/auth/phone", headers=bearer(second),
                      json={"code": fake_wechat.issue_phone_code("13900001111")})
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "phone.taken"


def test_phone_binding_refreshes_an_expired_access_token_once(client, fake_wechat):
    user = make_user()
    headers = bearer(user)
    client.post("/api/v1/auth/phone", headers=headers,
                json={"code": fake_wechat.issue_phone_code("13700001111")})
    fetches = fake_wechat.token_fetches
    fake_wechat.expire_tokens()
    res = client.post("/api/v1/auth/phone", headers=headers,
                      json={"code": fake_wechat.issue_phone_code("13700002222")})
    assert res.status_code == 200
    assert fake_wechat.token_fetches == fetches + 1
